/**
 * Meta's error classes through performBatch, as a host sees them: each Graph API answer (Meta's own
 * error envelope on the HTTP status Meta really uses, an HTML or empty body, a dropped connection, a
 * timeout) becomes the same per-event status, `body` (kind, retryable, code, subcode, fbtrace_id,
 * retry_after_ms) and message for every event of the request, and the access token never shows.
 */
import nock from 'nock'
import { createTestIntegration } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../../../src'
import { presets } from '../../../src/destinations/meta-pixel/presets'
import { ACCESS_TOKEN, EVENTS_PATH, GRAPH, NOW_MS, PIXEL_ID, referenceOrderCompleted, settings } from '../../helpers'

interface Result {
  status: number
  errormessage?: string
  errortype?: string
  sent?: { event_id?: string }
  body?: Record<string, unknown>
}

interface MetaRequest {
  uri: string
  eventIds: string[]
}

const purchaseMapping = presets.find((preset) => preset.name === 'Purchase')?.mapping as JSONObject

function purchases(count: number): SegmentEvent[] {
  return Array.from({ length: count }, (_, i) => ({ ...referenceOrderCompleted(), messageId: `evt-${i}` }))
}

let requests: MetaRequest[] = []
let allResults: Result[] = []

/** An interceptor for any POST to the Graph API; every request it receives is recorded with its path and events. */
function graph(): nock.Interceptor {
  const scope = nock(GRAPH)
  scope.on('request', (request: { path: string }, _interceptor: unknown, body: string) => {
    const data = (JSON.parse(body) as { data?: { event_id: string }[] }).data ?? []
    requests.push({ uri: request.path, eventIds: data.map((event) => event.event_id) })
  })
  return scope.post(() => true)
}

async function executeBatch(events: SegmentEvent[]): Promise<Result[]> {
  const results = (await createTestIntegration(definition).executeBatch('sendEvent', {
    events,
    mapping: purchaseMapping,
    settings: settings as never
  })) as Result[]
  allResults.push(...results)
  return results
}

/** Every event of the batch got exactly one result, and each is the same error. */
function theOneError(results: Result[], events: number): Result {
  expect(results).toHaveLength(events)
  const withoutSent = ({ sent: _sent, ...rest }: Result) => rest
  results.forEach((result, i) => {
    expect(result.sent?.event_id).toBe(`evt-${i}`)
    expect(withoutSent(result)).toEqual(withoutSent(results[0]))
  })
  expect(results[0].status).not.toBe(200)
  return results[0]
}

/**
 * A socket error as Node reports it. nock 14 needs an Error here: given a plain object such as
 * `{ code: 'ECONNRESET' }`, its interceptor throws internally and the request just hangs.
 */
function socketError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code })
}

function metaError(code: number, message: string, extra: Record<string, unknown> = {}) {
  return { error: { message, type: 'OAuthException', code, is_transient: false, fbtrace_id: `ft-${code}`, ...extra } }
}

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW_MS)
  nock.disableNetConnect()
  requests = []
  allResults = []
})

afterEach(() => {
  for (const request of requests) expect(request.uri).toBe(EVENTS_PATH)
  const reported = JSON.stringify(allResults)
  expect(reported).not.toContain(ACCESS_TOKEN)
  expect(reported).not.toContain(encodeURIComponent(ACCESS_TOKEN))
  nock.abortPendingRequests()
  nock.cleanAll()
  jest.useRealTimers()
  jest.restoreAllMocks()
})

interface Case {
  name: string
  httpStatus: number
  reply: string | Record<string, unknown>
  headers?: Record<string, string>
  /** How many events the batch has; a data error on one event is convicted by its single request. */
  events?: number
  status: number
  errortype: string
  body: Record<string, unknown>
  message: string | RegExp
}

const rateLimit = (code: number, message: string, subcode?: number): Case => ({
  name: `code ${code}${subcode ? `/${subcode}` : ''} on HTTP 400 is a rate limit: 429, retryable`,
  httpStatus: 400,
  reply: metaError(code, message, subcode ? { error_subcode: subcode } : {}),
  status: 429,
  errortype: 'TOO_MANY_REQUESTS',
  body: {
    kind: 'rate_limit',
    retryable: true,
    code,
    ...(subcode && { error_subcode: subcode }),
    fbtrace_id: `ft-${code}`
  },
  message:
    `Meta rate limit reached; retry later with backoff. Meta said: ${message} ` +
    `(code ${code}${subcode ? `, subcode ${subcode}` : ''}, fbtrace_id ft-${code})`
})

const cases: Case[] = [
  rateLimit(4, '(#4) Application request limit reached'),
  rateLimit(17, '(#17) User request limit reached'),
  rateLimit(32, '(#32) Page request limit reached'),
  rateLimit(613, '(#613) Calls to this api have exceeded the rate limit.'),
  rateLimit(80004, 'There have been too many calls to this ad-account. Wait a bit and try again.', 2446079),
  rateLimit(341, '(#341) Application limit reached'),
  {
    name: 'code 1 (unknown, possibly temporary) is transient: 500, retryable',
    httpStatus: 500,
    reply: metaError(1, 'An unknown error occurred'),
    status: 500,
    errortype: 'INTERNAL_SERVER_ERROR',
    body: { kind: 'transient', retryable: true, code: 1, fbtrace_id: 'ft-1' },
    message:
      'Meta reported an internal, possibly temporary error; retry later. Meta said: An unknown error occurred (code 1, fbtrace_id ft-1)'
  },
  {
    name: 'code 2 (service downtime) is transient: 503, retryable',
    httpStatus: 500,
    reply: metaError(2, 'An unexpected error has occurred. Please retry your request later.', { is_transient: true }),
    status: 503,
    errortype: 'SERVICE_UNAVAILABLE',
    body: { kind: 'transient', retryable: true, code: 2, fbtrace_id: 'ft-2' },
    message:
      'Meta reported a temporary error; retry later. Meta said: An unexpected error has occurred. Please retry your request later. (code 2, fbtrace_id ft-2)'
  },
  {
    name: 'is_transient: true wins over the code: 503, retryable',
    httpStatus: 400,
    reply: metaError(1, 'An unknown error has occurred.', { error_subcode: 99, is_transient: true }),
    status: 503,
    errortype: 'SERVICE_UNAVAILABLE',
    body: { kind: 'transient', retryable: true, code: 1, error_subcode: 99, fbtrace_id: 'ft-1' },
    message:
      /^Meta reported a temporary error; retry later\. Meta said: An unknown error has occurred\. \(code 1, subcode 99/
  },
  {
    name: 'a negative code (internal Facebook error) is transient: 500, retryable',
    httpStatus: 500,
    reply: metaError(-2, 'Temporary internal error', { error_subcode: 1357046 }),
    status: 500,
    errortype: 'INTERNAL_SERVER_ERROR',
    body: { kind: 'transient', retryable: true, code: -2, error_subcode: 1357046, fbtrace_id: 'ft--2' },
    message: /^Meta reported an internal, possibly temporary error; retry later\. Meta said: Temporary internal error/
  },
  {
    name: 'HTTP 500 with an HTML page is a temporary outage: 502, retryable',
    httpStatus: 500,
    reply:
      '<!DOCTYPE html><html><head><title>Facebook | Error</title></head><body>Sorry, something went wrong.</body></html>',
    status: 502,
    errortype: 'BAD_GATEWAY',
    body: { kind: 'transient', retryable: true },
    message:
      'Meta answered HTTP 500 with an HTML page ("Facebook | Error") instead of a JSON error; treating it as a temporary outage.'
  },
  {
    name: 'HTTP 503 with an empty body is a temporary outage: 502, retryable',
    httpStatus: 503,
    reply: '',
    status: 502,
    errortype: 'BAD_GATEWAY',
    body: { kind: 'transient', retryable: true },
    message: 'Meta answered HTTP 503 with an empty body; treating it as a temporary outage.'
  },
  {
    name: 'code 190 (invalid or expired token) is an authentication error: 401, not retryable',
    httpStatus: 400,
    reply: metaError(190, 'Error validating access token: Session has expired on Friday, 20-Nov-26.', {
      error_subcode: 463
    }),
    status: 401,
    errortype: 'UNAUTHORIZED',
    body: { kind: 'authentication', retryable: false, code: 190, error_subcode: 463, fbtrace_id: 'ft-190' },
    message:
      'The access token was rejected by Meta; generate a new token in Events Manager (Settings → Conversions API → Generate access token) ' +
      'and update the settings. Meta said: Error validating access token: Session has expired on Friday, 20-Nov-26. ' +
      '(code 190, subcode 463, fbtrace_id ft-190)'
  },
  {
    name: 'code 102 (API session) is an authentication error: 401, not retryable',
    httpStatus: 400,
    reply: metaError(102, 'API Session'),
    status: 401,
    errortype: 'UNAUTHORIZED',
    body: { kind: 'authentication', retryable: false, code: 102, fbtrace_id: 'ft-102' },
    message: /^The access token was rejected by Meta; .* Meta said: API Session \(code 102, fbtrace_id ft-102\)$/
  },
  {
    name: 'code 10 (permission denied) is a permission error: 403, not retryable',
    httpStatus: 400,
    reply: metaError(10, '(#10) Application does not have permission for this action'),
    status: 403,
    errortype: 'FORBIDDEN',
    body: { kind: 'permission', retryable: false, code: 10, fbtrace_id: 'ft-10' },
    message:
      `This access token is not allowed to send events to pixel ${PIXEL_ID}; use a token generated for this pixel in Events Manager. ` +
      'Meta said: (#10) Application does not have permission for this action (code 10, fbtrace_id ft-10)'
  },
  {
    name: 'code 200 (permissions error) is a permission error: 403, not retryable',
    httpStatus: 403,
    reply: metaError(200, '(#200) Permissions error'),
    status: 403,
    errortype: 'FORBIDDEN',
    body: { kind: 'permission', retryable: false, code: 200, fbtrace_id: 'ft-200' },
    message: new RegExp(
      `^This access token is not allowed to send events to pixel ${PIXEL_ID};.*\\(#200\\) Permissions error`
    )
  },
  {
    name: 'code 100/33 (no such pixel, or no access to it) is a configuration error naming the pixel: 400',
    httpStatus: 400,
    reply: metaError(
      100,
      `Unsupported post request. Object with ID '${PIXEL_ID}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      { error_subcode: 33 }
    ),
    status: 400,
    errortype: 'BAD_REQUEST',
    body: { kind: 'configuration', retryable: false, code: 100, error_subcode: 33, fbtrace_id: 'ft-100' },
    message: new RegExp(
      `^Pixel ${PIXEL_ID} does not exist or this token cannot send to it; check the pixel ID and the token's access to it\\. ` +
        `Meta said: Unsupported post request\\. Object with ID '${PIXEL_ID}' does not exist.*\\(code 100, subcode 33, fbtrace_id ft-100\\)$`
    )
  },
  {
    name: "code 100/2804050 (too little customer information) is a data error in Meta's own words: 400",
    httpStatus: 400,
    reply: metaError(100, 'Invalid parameter', {
      error_subcode: 2804050,
      error_user_title: 'Event Has No Customer Information',
      error_user_msg:
        'The event has no customer information parameters, or a combination of parameters too broad to be matched.'
    }),
    // Not retryable, so a wait Meta asks for is not reported.
    headers: { 'Retry-After': '30' },
    events: 1,
    status: 400,
    errortype: 'BAD_REQUEST',
    body: { kind: 'data', retryable: false, code: 100, error_subcode: 2804050, fbtrace_id: 'ft-100' },
    message:
      'Invalid parameter: Event Has No Customer Information: The event has no customer information parameters, ' +
      'or a combination of parameters too broad to be matched. (code 100, subcode 2804050, fbtrace_id ft-100)'
  },
  {
    name: 'an unknown code (12345) is treated as retryable: 500',
    httpStatus: 400,
    reply: metaError(12345, 'Something Meta added last week'),
    status: 500,
    errortype: 'INTERNAL_SERVER_ERROR',
    body: { kind: 'unknown', retryable: true, code: 12345, fbtrace_id: 'ft-12345' },
    message:
      'Meta returned an error this destination does not recognise; treating it as retryable. ' +
      'Meta said: Something Meta added last week (code 12345, fbtrace_id ft-12345)'
  },
  {
    name: "Meta's Retry-After (seconds) on a rate limit becomes body.retry_after_ms",
    httpStatus: 400,
    reply: metaError(17, '(#17) User request limit reached'),
    headers: { 'Retry-After': '30' },
    status: 429,
    errortype: 'TOO_MANY_REQUESTS',
    body: { kind: 'rate_limit', retryable: true, code: 17, fbtrace_id: 'ft-17', retry_after_ms: 30_000 },
    message: /^Meta rate limit reached; retry later with backoff\./
  },
  {
    name: "Meta's Retry-After (HTTP date) becomes the wait from now",
    httpStatus: 400,
    reply: metaError(4, '(#4) Application request limit reached'),
    headers: { 'Retry-After': new Date(NOW_MS + 90_000).toUTCString() },
    status: 429,
    errortype: 'TOO_MANY_REQUESTS',
    body: { kind: 'rate_limit', retryable: true, code: 4, fbtrace_id: 'ft-4', retry_after_ms: 90_000 },
    message: /^Meta rate limit reached; retry later with backoff\./
  },
  {
    name: "x-business-use-case-usage's estimated_time_to_regain_access (minutes) becomes body.retry_after_ms",
    httpStatus: 400,
    reply: metaError(80004, 'There have been too many calls to this ad-account.', { error_subcode: 2446079 }),
    headers: {
      'x-business-use-case-usage': JSON.stringify({
        '1234567890': [
          {
            type: 'ads_management',
            call_count: 100,
            total_cputime: 30,
            total_time: 40,
            estimated_time_to_regain_access: 7
          }
        ],
        '9876543210': [{ type: 'custom_audience', call_count: 12, estimated_time_to_regain_access: 0 }]
      })
    },
    status: 429,
    errortype: 'TOO_MANY_REQUESTS',
    body: {
      kind: 'rate_limit',
      retryable: true,
      code: 80004,
      error_subcode: 2446079,
      fbtrace_id: 'ft-80004',
      retry_after_ms: 7 * 60_000
    },
    message: /^Meta rate limit reached; retry later with backoff\./
  }
]

describe("Meta's error classes, per event", () => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_, testCase) => {
    const events = testCase.events ?? 3
    graph().reply(testCase.httpStatus, testCase.reply, testCase.headers)

    const error = theOneError(await executeBatch(purchases(events)), events)

    expect(requests).toHaveLength(1)
    expect(requests[0].eventIds).toHaveLength(events)
    expect(error.status).toBe(testCase.status)
    expect(error.errortype).toBe(testCase.errortype)
    expect(error.body).toEqual(testCase.body)
    if (typeof testCase.message === 'string') expect(error.errormessage).toBe(testCase.message)
    else expect(error.errormessage).toMatch(testCase.message)
  })

  it('a dropped connection (ECONNRESET) is transient: 500, retryable', async () => {
    graph().replyWithError(socketError('ECONNRESET', 'socket hang up'))

    const error = theOneError(await executeBatch(purchases(3)), 3)

    expect(requests).toHaveLength(1)
    expect(error).toMatchObject({ status: 500, body: { kind: 'transient', retryable: true } })
    expect(error.errormessage).toMatch(/^Could not reach Meta \(.*ECONNRESET.*socket hang up/)
    expect(error.errormessage).toMatch(/Meta deduplicates by event_id\.$/)
  })

  it("Meta not answering within actions-core's request timeout is a timeout: 504, retryable", async () => {
    // Fake timers let actions-core's 10 s timeout fire at once; the clock still starts at NOW_MS.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now: NOW_MS })
    graph().delay(60_000).reply(200, { events_received: 3 })

    let settled = false
    const pending = executeBatch(purchases(3)).finally(() => (settled = true))
    for (let waited = 0; !settled && waited < 60; waited++) {
      await new Promise((resolve) => setImmediate(resolve))
      await jest.advanceTimersByTimeAsync(1_000)
    }
    const error = theOneError(await pending, 3)

    expect(error).toMatchObject({
      status: 504,
      errortype: 'GATEWAY_TIMEOUT',
      body: { kind: 'transient', retryable: true }
    })
    expect(error.errormessage).toMatch(/^Meta did not answer in time \(ETIMEDOUT: Request timed out after 10000ms\)/)
  })

  it('a socket timeout reported by the client (ETIMEDOUT) is a timeout too: 504', async () => {
    graph().replyWithError(socketError('ETIMEDOUT', 'connect ETIMEDOUT 157.240.0.35:443'))

    const error = theOneError(await executeBatch(purchases(2)), 2)

    expect(error).toMatchObject({ status: 504, body: { kind: 'transient', retryable: true } })
    expect(error.errormessage).toMatch(/^Meta did not answer in time/)
  })

  it('does not split a request refused for a reason that is not bad data (a rate limit on 1,000 events)', async () => {
    graph().reply(400, metaError(613, '(#613) Calls to this api have exceeded the rate limit.'))

    const results = await executeBatch(purchases(1000))

    expect(requests).toHaveLength(1)
    expect(results.filter((result) => result.status === 429)).toHaveLength(1000)
  })
})

describe('the access token never shows', () => {
  const echoed: [string, number, string | Record<string, unknown>][] = [
    ['in the message of a 190', 400, metaError(190, `Malformed access token ${ACCESS_TOKEN}`)],
    [
      "in error_user_msg, URL-encoded in a query string (Meta's usual echo)",
      400,
      metaError(100, 'Invalid parameter', {
        error_subcode: 2804016,
        error_user_msg: `Request https://graph.facebook.com/v26.0/${PIXEL_ID}/events?access_token=${encodeURIComponent(ACCESS_TOKEN)} was refused`
      })
    ],
    ['in a body that is not JSON', 502, `upstream proxy error for token ${ACCESS_TOKEN}`],
    ['in the title of an HTML page', 500, `<html><head><title>Bad token ${ACCESS_TOKEN}</title></head></html>`]
  ]

  it.each(echoed)('when Meta echoes it %s, the message comes back redacted', async (_, httpStatus, reply) => {
    graph().reply(httpStatus, reply)

    const error = theOneError(await executeBatch(purchases(1)), 1)

    expect(error.errormessage).toContain('[redacted]')
    expect(error.errormessage).not.toContain(ACCESS_TOKEN)
    expect(error.errormessage).not.toContain(encodeURIComponent(ACCESS_TOKEN))
  })

  it('when a network error quotes it, the message comes back redacted', async () => {
    graph().replyWithError(socketError('ECONNRESET', `reset while sending Authorization: Bearer ${ACCESS_TOKEN}`))

    const error = theOneError(await executeBatch(purchases(1)), 1)

    expect(error.errormessage).toContain('[redacted]')
    expect(error.errormessage).not.toContain(ACCESS_TOKEN)
  })

  it('travels only in the Authorization header, never in the URL or the body', async () => {
    let authorization: string | undefined
    let body = ''
    nock(GRAPH)
      .post(EVENTS_PATH)
      .reply(function (_uri, sent) {
        authorization = this.req.headers.authorization
        body = JSON.stringify(sent)
        return [200, { events_received: 2, fbtrace_id: 'ok' }]
      })

    const results = await executeBatch(purchases(2))

    expect(results.map((result) => result.status)).toEqual([200, 200])
    expect(authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
    expect(body).not.toContain(ACCESS_TOKEN)
  })
})
