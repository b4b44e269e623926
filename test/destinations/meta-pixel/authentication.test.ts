import nock from 'nock'
import { createRequestClient, Destination } from '@segment/actions-core'
import definition, { createDefinition } from '../../../src'
import type { Settings } from '../../../src'
import { probePixel } from '../../../src/destinations/meta-pixel/authentication'
import { ACCESS_TOKEN, GRAPH, PIXEL_ID, settings } from '../../helpers'

interface PixelRead {
  path: string
  authorization: string | undefined
}

/** Answers every GET of the pixel node (any query) with this status and body, recording each request. */
function interceptPixelRead(status: number, body: unknown, host = GRAPH): PixelRead[] {
  const reads: PixelRead[] = []
  nock(host)
    .persist()
    .get((uri) => uri.startsWith(`/v26.0/${PIXEL_ID}`))
    .reply(function (uri) {
      reads.push({ path: uri, authorization: this.req.headers.authorization })
      return [status, body]
    })
  return reads
}

/** The message testAuthentication rejects with, or a failure if it resolves. */
async function authenticationFailure(testSettings: Partial<Settings>): Promise<string> {
  const destination = new Destination(definition)
  let error: unknown
  try {
    // Partial on purpose: settings a user got wrong are what this checks.
    await destination.testAuthentication(testSettings as Settings)
  } catch (thrown) {
    error = thrown
  }
  expect(error).toBeInstanceOf(Error)
  return (error as Error).message
}

beforeEach(() => {
  nock.disableNetConnect()
})
afterEach(() => {
  nock.cleanAll()
})

it('succeeds when Meta returns the pixel for GET /v26.0/<pixel>?fields=id,name, with the token only in the header', async () => {
  const reads = interceptPixelRead(200, { id: PIXEL_ID, name: 'Example Shop Pixel' })
  const destination = new Destination(definition)

  await expect(destination.testAuthentication(settings)).resolves.toBeUndefined()

  expect(reads).toEqual([{ path: `/v26.0/${PIXEL_ID}?fields=id,name`, authorization: `Bearer ${ACCESS_TOKEN}` }])
})

it("fails on an invalid token (code 190) with a message built from Meta's error and without the token", async () => {
  const reads = interceptPixelRead(400, {
    error: {
      message: `Malformed access token ${ACCESS_TOKEN}`,
      type: 'OAuthException',
      code: 190,
      fbtrace_id: 'AxYz190Trace'
    }
  })

  const message = await authenticationFailure(settings)

  expect(message).toMatch(/^Credentials are invalid: /)
  expect(message).toMatch(/access token was rejected by Meta/)
  expect(message).toContain('Meta said: Malformed access token [redacted] (code 190, fbtrace_id AxYz190Trace)')
  expect(message).not.toContain(ACCESS_TOKEN)
  expect(reads).toHaveLength(1)
})

it('fails on an unknown pixel (code 100, subcode 33) with a message naming the pixel', async () => {
  interceptPixelRead(400, {
    error: {
      message: `Unsupported get request. Object with ID '${PIXEL_ID}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
      fbtrace_id: 'AxYz33Trace'
    }
  })

  const message = await authenticationFailure(settings)

  expect(message).toMatch(/^Credentials are invalid: /)
  expect(message).toContain(`Pixel ${PIXEL_ID} does not exist or this token cannot send to it`)
  expect(message).toContain('(code 100, subcode 33, fbtrace_id AxYz33Trace)')
  expect(message).not.toContain(ACCESS_TOKEN)
})

it.each(['abc123456789', '12345678901234x', ''])(
  'fails on the pixelId setting %p before any request',
  async (pixelId) => {
    const reads = interceptPixelRead(200, { id: PIXEL_ID, name: 'Example Shop Pixel' })
    const anyRequest = nock(GRAPH).persist().get(/.*/).reply(200, {})

    const message = await authenticationFailure({ ...settings, pixelId })

    expect(message).toMatch(/Pixel ID must be the digits shown in Events Manager/)
    expect(reads).toHaveLength(0)
    expect(anyRequest.isDone()).toBe(false)
  }
)

it('fails without an access token before any request', async () => {
  const reads = interceptPixelRead(200, { id: PIXEL_ID, name: 'Example Shop Pixel' })
  const { accessToken: _missing, ...withoutToken } = settings

  await authenticationFailure(withoutToken)

  expect(reads).toHaveLength(0)
})

it('fails on an HTML error page with a message about the outage, not a crash', async () => {
  interceptPixelRead(502, '<html><head><title>502 Bad Gateway</title></head><body>upstream</body></html>')

  const message = await authenticationFailure(settings)

  expect(message).toMatch(/Meta answered HTTP 502 with an HTML page \("502 Bad Gateway"\)/)
})

it('reads the pixel from the Graph URL the definition was created with', async () => {
  const reads = interceptPixelRead(200, { id: PIXEL_ID, name: 'Sandbox pixel' }, 'http://127.0.0.1:9')
  const destination = new Destination(createDefinition({ graphUrl: 'http://127.0.0.1:9' }))

  await destination.testAuthentication(settings)

  expect(reads.map((read) => read.path)).toEqual([`/v26.0/${PIXEL_ID}?fields=id,name`])
})

describe('probePixel: what check words for a person', () => {
  const request = (timeout?: number) =>
    createRequestClient({ headers: { Authorization: `Bearer ${ACCESS_TOKEN}` }, ...(timeout && { timeout }) })

  it('answers ok for a pixel the token may read', async () => {
    interceptPixelRead(200, { id: PIXEL_ID, name: 'Shop' })
    expect(await probePixel(request(), settings)).toEqual({ ok: true })
  })

  it("answers Meta's classified error with the HTTP status, and the network cause when nothing answered", async () => {
    interceptPixelRead(400, { error: { message: 'Invalid OAuth access token.', code: 190, fbtrace_id: 'A1' } })
    expect(await probePixel(request(), settings)).toMatchObject({
      ok: false,
      httpStatus: 400,
      error: { kind: 'authentication', code: 190, fbtraceId: 'A1' }
    })
    nock.cleanAll()

    nock(GRAPH)
      .get(/.*/)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
    expect(await probePixel(request(), settings)).toMatchObject({
      ok: false,
      networkCause: 'ECONNRESET',
      error: { kind: 'transient' }
    })
  })

  it('names a timeout as such', async () => {
    // The answer would come long after the client's timeout: the client gives up first, whatever the machine's load.
    nock(GRAPH).get(/.*/).delay(60_000).reply(200, { id: PIXEL_ID })
    const probe = await probePixel(request(20), settings)
    expect(probe).toMatchObject({ ok: false, networkCause: 'timed out' })
  })
})
