/**
 * perform turns Meta's answers into the errors a host reads: retryability is carried by the status
 * (429 and 5xx retried, 4xx not), and no message ever contains the access token.
 */
import nock from 'nock'
import {
  createTestIntegration,
  IntegrationError,
  InvalidAuthenticationError,
  RetryableError
} from '@segment/actions-core'
import definition from '../../../src'
import {
  ACCESS_TOKEN,
  EVENTS_PATH,
  GRAPH,
  referenceOrderCompleted,
  settings,
  atFrozenTimeWithoutNetwork
} from '../../helpers'
import { interceptEvents, presetMapping } from './support'
import type { EventsInterceptor } from './support'

atFrozenTimeWithoutNetwork()

/** The error perform throws for the reference Order Completed, and how many requests reached Meta. */
async function performError(meta: EventsInterceptor): Promise<Error & { status?: number; code?: string }> {
  const testDestination = createTestIntegration(definition)
  let error: unknown
  try {
    await testDestination.testAction('sendEvent', {
      event: referenceOrderCompleted(),
      settings,
      mapping: presetMapping('Purchase'),
      useDefaultMappings: true
    })
  } catch (thrown) {
    error = thrown
  }
  expect(error).toBeInstanceOf(Error)
  expect(meta.requests).toHaveLength(1)
  const message = (error as Error).message
  expect(message).not.toContain(ACCESS_TOKEN)
  expect(message).not.toContain(encodeURIComponent(ACCESS_TOKEN))
  return error as Error & { status?: number; code?: string }
}

it('Meta 613 (rate limit) on HTTP 400 becomes a retryable error with status 429', async () => {
  const meta = interceptEvents({
    status: 400,
    reply: {
      error: {
        message: `(#613) Calls to this api have exceeded the rate limit. access_token=${ACCESS_TOKEN}`,
        type: 'OAuthException',
        code: 613,
        error_subcode: 1487742,
        is_transient: true,
        fbtrace_id: 'A613Trace'
      }
    }
  })

  const error = await performError(meta)

  expect(error).toBeInstanceOf(RetryableError)
  expect(error.status).toBe(429)
  expect(error.message).toMatch(/^Meta rate limit reached; retry later with backoff\./)
  expect(error.message).toContain('(code 613, subcode 1487742, fbtrace_id A613Trace)')
})

it('Meta 190 (invalid token) becomes an authentication error with status 401', async () => {
  const meta = interceptEvents({
    status: 400,
    reply: {
      error: {
        message: `Error validating access token: The session is invalid because the user logged out. Token: ${ACCESS_TOKEN}`,
        type: 'OAuthException',
        code: 190,
        error_subcode: 467,
        fbtrace_id: 'A190Trace'
      }
    }
  })

  const error = await performError(meta)

  expect(error).toBeInstanceOf(InvalidAuthenticationError)
  expect(error.status).toBe(401)
  expect(error.message).toMatch(/access token was rejected by Meta/)
  expect(error.message).toContain('(code 190, subcode 467, fbtrace_id A190Trace)')
})

it("Meta 100/2804050 becomes a 400 with Meta's error_user_msg, code, subcode and fbtrace_id", async () => {
  const userMessage =
    'The event contains no customer information parameters or a combination so broad that it cannot be matched.'
  const meta = interceptEvents({
    status: 400,
    reply: {
      error: {
        message: 'Invalid parameter',
        type: 'OAuthException',
        code: 100,
        error_subcode: 2804050,
        is_transient: false,
        error_user_title: 'Insufficient customer information',
        error_user_msg: userMessage,
        fbtrace_id: 'A2804050Trace'
      }
    }
  })

  const error = await performError(meta)

  expect(error).toBeInstanceOf(IntegrationError)
  expect(error).not.toBeInstanceOf(RetryableError)
  expect(error.status).toBe(400)
  expect(error.message).toBe(
    `Invalid parameter: Insufficient customer information: ${userMessage} (code 100, subcode 2804050, fbtrace_id A2804050Trace)`
  )
})

it('an HTML 502 page becomes a retryable 5xx error', async () => {
  const meta = { requests: [] as unknown[] }
  nock(GRAPH)
    .post(EVENTS_PATH)
    .reply(
      502,
      (_uri, body) => {
        meta.requests.push(body)
        return `<html><head><title>502 Bad Gateway</title></head><body>Bearer ${ACCESS_TOKEN}</body></html>`
      },
      { 'content-type': 'text/html' }
    )

  const error = await performError(meta as EventsInterceptor)

  expect(error).toBeInstanceOf(RetryableError)
  expect(error.status).toBeGreaterThanOrEqual(500)
  expect(error.status).toBeLessThan(600)
  expect(error.message).toMatch(/Meta answered HTTP 502 with an HTML page \("502 Bad Gateway"\)/)
})

it('a dropped connection becomes a retryable 5xx error', async () => {
  const meta = { requests: [] as unknown[] }
  nock(GRAPH)
    .post(EVENTS_PATH, (body) => (meta.requests.push(body), true))
    .replyWithError(
      Object.assign(new Error(`socket hang up while sending Bearer ${ACCESS_TOKEN}`), { code: 'ECONNRESET' })
    )

  const error = await performError(meta as EventsInterceptor)

  expect(error).toBeInstanceOf(RetryableError)
  expect(error.status).toBe(500)
  expect(error.message).toMatch(/^Could not reach Meta \(/)
})
