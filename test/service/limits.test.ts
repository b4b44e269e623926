import { connect } from 'node:net'
import { DEFAULT_EVENT_LIMITS, eventLimitProblem } from '../../src/service/limits'
import {
  amplitudePurchase,
  API_KEY,
  basicAuth,
  call,
  eventIds,
  orderCompleted,
  startHarness,
  WRITE_KEY,
  type Harness
} from './support'

/** A value nested `levels` deep, built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = 'leaf'
  for (let level = 0; level < levels; level++) value = { a: value }
  return value
}

const DEEP = '__deep__'

/** JSON text of `body` with each DEEP placeholder replaced by a value `levels` deep: JSON.stringify would overflow. */
function deepJson(body: unknown, levels = 5_000): string {
  const deep = '{"a":'.repeat(levels) + '"leaf"' + '}'.repeat(levels)
  return JSON.stringify(body).replaceAll(`"${DEEP}"`, deep)
}

/** The JSON lines the service logged for events refused for good. */
function refusals(logs: string[]): Record<string, unknown>[] {
  return logs.filter((line) => line.startsWith('{"refused"')).map((line) => JSON.parse(line).refused)
}

describe('eventLimitProblem', () => {
  it('measures depth without recursion, so 100,000 levels are refused rather than overflowing', () => {
    expect(eventLimitProblem(nested(100_000))).toEqual({
      reason: 'too_deep',
      message: 'the event is nested more than 64 levels deep'
    })
    expect(eventLimitProblem(nested(DEFAULT_EVENT_LIMITS.maxDepth))).toBeUndefined()
    expect(eventLimitProblem(nested(DEFAULT_EVENT_LIMITS.maxDepth + 1))).toMatchObject({ reason: 'too_deep' })
  })

  it('refuses an event over the size limit and names both sizes, quoting nothing', () => {
    const event = { note: 'x'.repeat(600 * 1024) }
    expect(eventLimitProblem(event)).toEqual({
      reason: 'too_large',
      message: `the event is over the limit of ${512 * 1024} bytes as JSON`
    })
    // The walk's size is the compact JSON's, byte for byte.
    const event2 = { a: [1, 'é', null, true, { b: 'c"d' }], e: {} }
    const exact = Buffer.byteLength(JSON.stringify(event2))
    expect(eventLimitProblem(event2, { maxDepth: 64, maxBytes: exact })).toBeUndefined()
    expect(eventLimitProblem(event2, { maxDepth: 64, maxBytes: exact - 1 })).toMatchObject({ reason: 'too_large' })
  })
})

describe('the service with hostile events', () => {
  let harness: Harness & { stop(): Promise<void> }
  beforeEach(async () => {
    harness = await startHarness()
  })
  afterEach(async () => {
    await harness?.stop()
  })

  it('Segment: refuses a deep event without messageId and an oversized one on their own; the others go', async () => {
    const { messageId: _id, ...deep } = orderCompleted('unused', { properties: { deep: DEEP } })
    const large = orderCompleted('large-1', { properties: { blob: 'x'.repeat(600 * 1024) } })
    const batch = [orderCompleted('good-1'), deep, large, orderCompleted('good-2')]

    const answer = await call(`${harness.service.url}/v1/batch`, {
      body: deepJson({ batch }),
      headers: { authorization: basicAuth(WRITE_KEY) }
    })

    // 200: Segment's SDK must not resend events that would be refused again.
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      success: true,
      delivered: 2,
      skipped: 0,
      failed: 2,
      errors: [
        '[1] the event is nested more than 64 levels deep',
        '[2] the event is over the limit of 524288 bytes as JSON'
      ]
    })
    expect(eventIds(harness.sandbox).sort()).toEqual(['good-1', 'good-2'])
    expect(refusals(harness.logs)).toEqual([
      expect.objectContaining({
        source: 'segment',
        index: 1,
        event: 'Order Completed',
        status: 400,
        reason: 'too_deep'
      }),
      expect.objectContaining({
        source: 'segment',
        index: 2,
        event: 'Order Completed',
        status: 400,
        reason: 'too_large'
      })
    ])
    // No personal data in the refusal lines.
    expect(harness.logs.join('\n')).not.toMatch(/example\.com|user-42/i)
  })

  it('Amplitude: answers a deep event as events_with_invalid_fields, holding the others back for the resend', async () => {
    const deep = amplitudePurchase('deep-1', { event_properties: { deep: DEEP } })
    const events = [amplitudePurchase('good-1'), deep]

    const answer = await call(`${harness.service.url}/2/httpapi`, { body: deepJson({ api_key: API_KEY, events }) })

    expect(answer.status).toBe(400)
    expect(answer.body).toEqual({
      code: 400,
      error: 'Invalid events: [1] the event is nested more than 64 levels deep',
      events_with_invalid_fields: { event: [1] }
    })
    // Amplitude's SDK resends good-1 alone after this answer: that is its one delivery.
    expect(harness.sandbox.requests()).toBe(0)
  })

  it('webhook: answers a deep event 400 with the reason', async () => {
    const answer = await call(`${harness.service.url}/webhooks/amplitude`, {
      body: deepJson({ ...amplitudePurchase('deep-2'), event_properties: { deep: DEEP } }),
      headers: { authorization: `Bearer ${API_KEY}` }
    })
    expect(answer).toMatchObject({ status: 400, body: { error: 'the event is nested more than 64 levels deep' } })
    expect(harness.sandbox.requests()).toBe(0)
  })
})

/** Sends raw bytes and resolves with everything the server writes back before it closes the connection. */
function rawExchange(url: string, head: string, body: string): Promise<string> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    let answer = ''
    const socket = connect(Number(port), hostname, () => socket.write(head + body))
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (answer += chunk))
    socket.on('close', () => resolve(answer))
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' ? resolve(answer) : reject(error)
    )
  })
}

describe('request bodies on the wire', () => {
  let harness: Harness & { stop(): Promise<void> }
  beforeEach(async () => {
    // A short idle timeout, so the stalled-body test is quick; the declared-length test needs no timeout at all.
    harness = await startHarness({ bodyIdleTimeoutMs: 100 })
  })
  afterEach(async () => {
    await harness?.stop()
  })

  const head = (length: number) =>
    'POST /v1/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
    `Authorization: ${basicAuth(WRITE_KEY)}\r\nContent-Length: ${length}\r\n\r\n`

  it('answers 413 on a declared Content-Length over the limit before the body arrives, and closes', async () => {
    const answer = await rawExchange(harness.service.url, head(6 * 1024 * 1024), '{"batch":')
    expect(answer).toMatch(/^HTTP\/1\.1 413 /)
    expect(answer).toMatch(/connection: close/i)
    expect(answer).toContain('"error":"the body is larger than 5242880 bytes"')
  })

  it('answers 408 to a body that stalls, and closes the connection', async () => {
    const answer = await rawExchange(harness.service.url, head(100), '{"batch":')
    expect(answer).toMatch(/^HTTP\/1\.1 408 /)
    expect(answer).toContain('"error":"the body stalled for 100 ms"')
    expect(harness.sandbox.requests()).toBe(0)
  })
})
