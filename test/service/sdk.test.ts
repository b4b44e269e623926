import { createInstance } from '@amplitude/analytics-node'
import { Analytics } from '@segment/analytics-node'
import {
  amplitudePurchase,
  API_KEY,
  EMAIL,
  EMAIL_HASH,
  eventIds,
  orderCompleted,
  PIXEL_ID,
  startHarness,
  WRITE_KEY,
  type Harness
} from './support'

let harness: Harness & { stop(): Promise<void> }

beforeEach(async () => {
  harness = await startHarness()
})
afterEach(async () => {
  await harness?.stop()
})

function countBy(ids: string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1)
  return counts
}

// ---- @segment/analytics-node ----

function segmentClient(url: string): { analytics: Analytics; errors: unknown[] } {
  const analytics = new Analytics({ writeKey: WRITE_KEY, host: url, flushAt: 10, flushInterval: 20, maxRetries: 5 })
  const errors: unknown[] = []
  analytics.on('error', (error) => errors.push(error))
  return { analytics, errors }
}

function trackOrder(analytics: Analytics, messageId: string): void {
  const { context, properties, userId } = orderCompleted(messageId) as {
    context: Record<string, unknown>
    properties: Record<string, unknown>
    userId: string
  }
  analytics.track({ userId, event: 'Order Completed', messageId, properties, context })
}

function pageView(analytics: Analytics, messageId: string): void {
  const { context } = orderCompleted(messageId) as { context: Record<string, unknown> }
  analytics.page({ anonymousId: 'anon-7', name: 'Home', messageId, context })
}

describe('@segment/analytics-node against the service', () => {
  it('delivers track and page calls as Purchase and PageView with the SDK’s messageIds', async () => {
    const { analytics, errors } = segmentClient(harness.service.url)
    trackOrder(analytics, 'sdk-order-1')
    trackOrder(analytics, 'sdk-order-2')
    pageView(analytics, 'sdk-page-1')
    await analytics.closeAndFlush({ timeout: 10_000 })

    expect(errors).toEqual([])
    const received = harness.sandbox.received()
    const events = received.map((r) => [r.pixelId, r.event.event_name, r.event.event_id])
    expect(events.sort()).toEqual(
      [
        [PIXEL_ID, 'PageView', 'sdk-page-1'],
        [PIXEL_ID, 'Purchase', 'sdk-order-1'],
        [PIXEL_ID, 'Purchase', 'sdk-order-2']
      ].sort()
    )
    for (const { event } of received) expect((event.user_data as { em: string[] }).em).toEqual([EMAIL_HASH])
  })

  it('delivers every event exactly once when Meta rate-limits past the service’s retries (the SDK resends)', async () => {
    // 2 faults use up the service's 2 attempts (503 to the SDK); the 3rd fails the SDK's resend's first attempt.
    harness.sandbox.injectFaults({ kind: 'rate_limit', count: 3 })
    const { analytics, errors } = segmentClient(harness.service.url)
    const ids = Array.from({ length: 5 }, (_, i) => `rl-order-${i}`)
    for (const id of ids) trackOrder(analytics, id)
    await analytics.closeAndFlush({ timeout: 20_000 })

    expect(errors).toEqual([])
    expect(harness.sandbox.requests()).toBe(4)
    const counts = countBy(eventIds(harness.sandbox))
    expect([...counts.keys()].sort()).toEqual([...ids].sort())
    expect([...counts.values()].every((count) => count === 1)).toBe(true)
    expect(harness.logs.filter((line) => / 503 /.test(line))).toHaveLength(1)
  })

  it('resends events already delivered when a batch mixes them with rate-limited ones (Meta drops the copies)', async () => {
    // One SDK batch, two presets → two Meta requests per attempt, sent side by side: three rate limits hit one preset's
    // request twice (503 to the SDK) and the other's once (delivered on the service's retry), whichever goes first;
    // the SDK's resend then delivers the first and repeats the second.
    harness.sandbox.injectFaults({ kind: 'rate_limit', count: 3 })
    const { analytics, errors } = segmentClient(harness.service.url)
    trackOrder(analytics, 'mixed-order')
    pageView(analytics, 'mixed-page')
    await analytics.closeAndFlush({ timeout: 20_000 })

    expect(errors).toEqual([])
    const counts = countBy(eventIds(harness.sandbox))
    // Nothing is missing; the copy is the protocol's doing: a Segment answer is for the whole batch.
    expect([...counts.keys()].sort()).toEqual(['mixed-order', 'mixed-page'])
    expect([...counts.values()].sort()).toEqual([1, 2])
  })
})

// ---- @amplitude/analytics-node ----

interface AmplitudeDestinationPlugin {
  throttleTimeout: number
  retryTimeout: number
}

async function amplitudeClient(url: string) {
  const client = createInstance()
  await client.init(API_KEY, {
    serverUrl: `${url}/2/httpapi`,
    flushQueueSize: 50,
    flushIntervalMillis: 20,
    flushMaxRetries: 5,
    logLevel: 0
  }).promise
  // The SDK holds throttled events back for 30 s and waits 1 s × attempts after a 5xx; neither is an option, so
  // a plugin's setup, which is handed the client, reaches the SDK's own destination plugin to shorten them.
  let destination: AmplitudeDestinationPlugin | undefined
  await client.add({
    name: 'test-short-retry-waits',
    type: 'enrichment',
    setup: async (_config, core) => {
      destination = (core as unknown as { plugin(name: string): AmplitudeDestinationPlugin }).plugin('amplitude')
    },
    execute: async (event) => event
  }).promise
  if (!destination) throw new Error('the SDK has no "amplitude" destination plugin')
  destination.throttleTimeout = 50
  destination.retryTimeout = 50
  return client
}

function purchaseEvent(label: string) {
  const { time: _time, insert_id: _insertId, ...event } = amplitudePurchase(label)
  return { ...event, event_type: 'Order Completed', user_properties: { email: EMAIL } }
}

describe('@amplitude/analytics-node against the service', () => {
  it('delivers tracked events as Purchase events keyed by the SDK’s insert_id', async () => {
    const client = await amplitudeClient(harness.service.url)
    const pending = ['a', 'b', 'c'].map((label) => client.track(purchaseEvent(label)).promise)
    await client.flush().promise
    const results = await Promise.all(pending)

    expect(results.map((result) => result.code)).toEqual([200, 200, 200])
    const insertIds = results.map((result) => result.event.insert_id)
    const received = harness.sandbox.received()
    expect(received.map((r) => r.event.event_name)).toEqual(['Purchase', 'Purchase', 'Purchase'])
    expect(received.map((r) => r.event.event_id)).toEqual(insertIds)
    expect((received[0].event.user_data as { em: string[] }).em).toEqual([EMAIL_HASH])
  })

  it('drops exactly the invalid event on a 400 and resends the others, each delivered once', async () => {
    const client = await amplitudeClient(harness.service.url)
    const good = ['g1', 'g2'].map((label) => client.track(purchaseEvent(label)).promise)
    const bad = client.track({ ...purchaseEvent('bad'), currency: 'ZZZZ', event_properties: { currency: 'ZZZZ' } })
    const results = await Promise.all([...good, bad.promise])

    expect(results.map((result) => result.code)).toEqual([200, 200, 400])
    expect(results[2].message).toBe('Invalid events: [2] currency "ZZZZ" is not an ISO-4217 code')
    // The upload of three is refused whole (400 naming the bad one); the SDK's resend of the two is their delivery.
    const counts = countBy(eventIds(harness.sandbox))
    expect(Object.fromEntries(counts)).toEqual({
      [results[0].event.insert_id as string]: 1,
      [results[1].event.insert_id as string]: 1
    })
    expect(harness.logs.filter((line) => line.startsWith('POST /2/httpapi'))).toEqual([
      expect.stringMatching(/ 400 \d+ms key=\S+ events=3 delivered=0 skipped=0 failed=1\(400\) retry=0 held=2$/),
      expect.stringMatching(/ 200 \d+ms key=\S+ events=2 delivered=2 skipped=0 failed=0 retry=0$/)
    ])
  })

  it('delivers every event exactly once when Meta rate-limits past the service’s retries (the SDK resends)', async () => {
    harness.sandbox.injectFaults({ kind: 'rate_limit', count: 3 })
    const client = await amplitudeClient(harness.service.url)
    // No explicit flush: the SDK only retries from its scheduled flushes.
    const results = await Promise.all(
      ['r1', 'r2', 'r3', 'r4'].map((label) => client.track(purchaseEvent(label)).promise)
    )

    expect(results.map((result) => result.code)).toEqual([200, 200, 200, 200])
    expect(harness.logs.filter((line) => / 429 /.test(line))).toHaveLength(1)
    const counts = countBy(eventIds(harness.sandbox))
    expect([...counts.keys()].sort()).toEqual(results.map((result) => result.event.insert_id).sort())
    expect([...counts.values()].every((count) => count === 1)).toBe(true)
  })
})
