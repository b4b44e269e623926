import * as capiEventBuild from '../../src/lib/capi-event/build'
import { HostedAction } from '../../src/runner/action'
import { Engine } from '../../src/runner/engine'
import { gzipSync } from 'node:zlib'
import type { ReceivedEvent } from '../../src/sandbox'
import {
  ACCESS_TOKEN,
  amplitudePurchase,
  API_KEY,
  basicAuth,
  call,
  EMAIL,
  EMAIL_HASH,
  eventIds,
  orderCompleted,
  PIXEL_ID,
  SECOND_PIXEL_ID,
  SECOND_WRITE_KEY,
  startHarness,
  WRITE_KEY,
  type Harness
} from './support'

let harness: Harness & { stop(): Promise<void> }
let url: string

beforeEach(async () => {
  harness = await startHarness()
  url = harness.service.url
})
afterEach(async () => {
  await harness?.stop()
})

function userData(received: ReceivedEvent): Record<string, unknown> {
  return received.event.user_data as Record<string, unknown>
}

describe('Segment HTTP Tracking API', () => {
  it('POST /v1/batch with Basic auth delivers each message as its CAPI event, context merged', async () => {
    const answer = await call(`${url}/v1/batch`, {
      headers: { authorization: basicAuth(WRITE_KEY) },
      body: {
        batch: [
          orderCompleted('msg-1'),
          { type: 'page', messageId: 'msg-2', userId: 'user-42', name: 'Home' },
          { type: 'track', event: 'Button Clicked', messageId: 'msg-3', userId: 'user-42' }
        ],
        context: {
          userAgent: 'Mozilla/5.0 (batch level)',
          page: { url: 'https://shop.example.com/' },
          traits: { email: EMAIL }
        }
      }
    })

    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ success: true, delivered: 2, skipped: 1, failed: 0 })
    const received = harness.sandbox.received()
    expect(received.map((r) => [r.pixelId, r.event.event_name, r.event.event_id])).toEqual([
      [PIXEL_ID, 'Purchase', 'msg-1'],
      [PIXEL_ID, 'PageView', 'msg-2']
    ])
    expect(userData(received[0]).em).toEqual([EMAIL_HASH])
    // The page message had no context of its own: the batch's context was merged in, and no timestamp: receipt time.
    expect(userData(received[1]).em).toEqual([EMAIL_HASH])
    expect(userData(received[1]).client_user_agent).toBe('Mozilla/5.0 (batch level)')
    expect(Math.abs((received[1].event.event_time as number) - Date.now() / 1000)).toBeLessThan(60)
  })

  it('POST /v1/track and /v1/page take one message, typed by the path, the write key also in the body', async () => {
    const { type: _type, ...track } = orderCompleted('track-1')
    const tracked = await call(`${url}/v1/track`, { headers: { authorization: basicAuth(WRITE_KEY) }, body: track })
    const paged = await call(`${url}/v1/page`, {
      body: {
        writeKey: WRITE_KEY,
        anonymousId: 'anon-1',
        name: 'Pricing',
        context: { userAgent: 'Mozilla/5.0 (test)', page: { url: 'https://shop.example.com/pricing' } }
      }
    })

    expect([tracked.status, paged.status]).toEqual([200, 200])
    const received = harness.sandbox.received()
    expect(received.map((r) => r.event.event_name)).toEqual(['Purchase', 'PageView'])
    expect(received[0].event.event_id).toBe('track-1')
    // No messageId: one derived from the content, so a resend of the same message gets the same id.
    expect(received[1].event.event_id).toMatch(/^svc-[0-9a-f]{32}$/)
  })

  it('derives the same messageId for a resent message that has none', async () => {
    const message = { ...orderCompleted('x'), messageId: undefined }
    for (let attempt = 0; attempt < 2; attempt++) {
      await call(`${url}/v1/batch`, { headers: { authorization: basicAuth(WRITE_KEY) }, body: { batch: [message] } })
    }
    const ids = eventIds(harness.sandbox)
    expect(ids).toHaveLength(2)
    expect(ids[0]).toBe(ids[1])
  })

  it('answers 401 for an unknown or missing write key, without echoing the key', async () => {
    const unknownKey = 'unknown-write-key-abcdef'
    const unknown = await call(`${url}/v1/batch`, {
      headers: { authorization: basicAuth(unknownKey) },
      body: { batch: [orderCompleted('m')] }
    })
    const missing = await call(`${url}/v1/batch`, { body: { batch: [orderCompleted('m')] } })

    expect(unknown.status).toBe(401)
    expect(unknown.body.error).toMatch(/unknown write key/)
    expect(JSON.stringify(unknown.body)).not.toContain(unknownKey)
    expect(missing.status).toBe(401)
    expect(harness.sandbox.requests()).toBe(0)
  })

  it('answers 400 with a reason for malformed JSON and for a batch that is not an array', async () => {
    const malformed = await call(`${url}/v1/batch`, {
      headers: { authorization: basicAuth(WRITE_KEY) },
      body: '{"batch": [ {"type": "track", '
    })
    const notArray = await call(`${url}/v1/batch`, {
      headers: { authorization: basicAuth(WRITE_KEY) },
      body: { batch: { type: 'track' } }
    })

    expect(malformed.status).toBe(400)
    expect(malformed.body).toEqual({ success: false, error: expect.stringMatching(/malformed JSON/) })
    expect(notArray.status).toBe(400)
    expect(notArray.body.error).toMatch(/batch/)
  })

  it('answers 413 for a body over the limit', async () => {
    await harness.stop()
    harness = await startHarness({ maxBodyBytes: 2048 })
    const answer = await call(`${harness.service.url}/v1/batch`, {
      headers: { authorization: basicAuth(WRITE_KEY) },
      body: { batch: Array.from({ length: 20 }, (_, i) => orderCompleted(`big-${i}`)) }
    })

    expect(answer.status).toBe(413)
    expect(harness.sandbox.requests()).toBe(0)
  })

  it('reads gzip bodies (RudderStack SDKs compress theirs)', async () => {
    const answer = await call(`${url}/v1/batch`, {
      headers: { authorization: basicAuth(WRITE_KEY), 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ batch: [orderCompleted('gz-1')] }))
    })

    expect(answer.status).toBe(200)
    expect(eventIds(harness.sandbox)).toEqual(['gz-1'])
  })

  it('answers 503 when Meta stays unavailable past the service retries, so the SDK resends', async () => {
    harness.sandbox.injectFaults({ kind: 'server_error', status: 503, count: 2 })
    const answer = await call(`${url}/v1/batch`, {
      headers: { authorization: basicAuth(WRITE_KEY) },
      body: { batch: [orderCompleted('r-1')] }
    })

    expect(answer.status).toBe(503)
    expect(answer.body.success).toBe(false)
    expect(harness.sandbox.requests()).toBe(2)
  })
})

describe('multi-pixel', () => {
  it('sends each key’s events to its own pixel', async () => {
    await Promise.all([
      call(`${url}/v1/batch`, {
        headers: { authorization: basicAuth(WRITE_KEY) },
        body: { batch: [orderCompleted('pixel-1-a')] }
      }),
      call(`${url}/v1/batch`, {
        headers: { authorization: basicAuth(SECOND_WRITE_KEY) },
        body: { batch: [orderCompleted('pixel-2-a'), orderCompleted('pixel-2-b')] }
      })
    ])

    const byPixel = harness.sandbox.received().map((r) => `${r.pixelId}:${r.event.event_id}`)
    expect(byPixel.sort()).toEqual(
      [`${PIXEL_ID}:pixel-1-a`, `${SECOND_PIXEL_ID}:pixel-2-a`, `${SECOND_PIXEL_ID}:pixel-2-b`].sort()
    )
  })
})

describe('batching', () => {
  it('batches concurrent requests of one key into one Meta request and answers each', async () => {
    await harness.stop()
    harness = await startHarness({ lingerMs: 200 })
    const answers = await Promise.all(
      ['c-1', 'c-2', 'c-3'].map((id) =>
        call(`${harness.service.url}/v1/track`, {
          headers: { authorization: basicAuth(WRITE_KEY) },
          body: orderCompleted(id)
        })
      )
    )

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200])
    expect(harness.sandbox.requests()).toBe(1)
    expect(eventIds(harness.sandbox).sort()).toEqual(['c-1', 'c-2', 'c-3'])
  })

  it('close() flushes a lingering request and answers it before resolving', async () => {
    await harness.stop()
    harness = await startHarness({ lingerMs: 60_000 })
    const pending = call(`${harness.service.url}/v1/track`, {
      headers: { authorization: basicAuth(WRITE_KEY) },
      body: orderCompleted('lingering-1')
    })
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(harness.sandbox.requests()).toBe(0)

    await harness.service.close()

    expect(eventIds(harness.sandbox)).toEqual(['lingering-1'])
    expect((await pending).status).toBe(200)
    await expect(call(`${harness.service.url}/health`)).rejects.toThrow()
  })
})

describe('Amplitude HTTP V2 API', () => {
  it('delivers events and answers in Amplitude’s shape', async () => {
    const answer = await call(`${url}/2/httpapi`, {
      body: { api_key: API_KEY, events: [amplitudePurchase('ins-1'), amplitudePurchase('ins-2')] }
    })

    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      code: 200,
      events_ingested: 2,
      payload_size_bytes: expect.any(Number),
      server_upload_time: expect.any(Number)
    })
    const received = harness.sandbox.received()
    expect(received.map((r) => [r.event.event_name, r.event.event_id])).toEqual([
      ['Purchase', 'ins-1'],
      ['Purchase', 'ins-2']
    ])
    expect(userData(received[0]).em).toEqual([EMAIL_HASH])
  })

  it('gives an event without time the upload time (as Amplitude does), also on /batch', async () => {
    const { time: _time, ...untimed } = amplitudePurchase('untimed-1')
    const answer = await call(`${url}/batch`, { body: { api_key: API_KEY, events: [untimed] } })

    expect(answer.status).toBe(200)
    const [received] = harness.sandbox.received()
    expect(Math.abs((received.event.event_time as number) - Date.now() / 1000)).toBeLessThan(60)
  })

  it('delivers nothing from an upload with refused events, answers 400 naming them, and the resend delivers once', async () => {
    const { event_type: _eventType, ...noEventType } = amplitudePurchase('bad-1')
    const badCurrency = amplitudePurchase('bad-2')
    badCurrency.event_properties = { ...(badCurrency.event_properties as object), currency: 'ZZZZ' }
    const events = [amplitudePurchase('good-1'), noEventType, amplitudePurchase('good-2'), badCurrency]

    const first = await call(`${url}/2/httpapi`, { body: { api_key: API_KEY, events } })

    expect(first.status).toBe(400)
    expect(first.body).toEqual({
      code: 400,
      error: 'Invalid events: [1] Amplitude event has no event_type; [3] currency "ZZZZ" is not an ISO-4217 code',
      events_with_missing_fields: { event_type: [1] },
      events_with_invalid_fields: { event: [3] }
    })
    // The good events are held back: Amplitude's SDK resends them, and that is their one delivery.
    expect(harness.sandbox.requests()).toBe(0)
    const metrics = (await harness.service.metrics.metrics()).split('\n')
    expect(metrics).toContain('meta_pixel_events_retry_total{source="amplitude",reason="held_back"} 2')

    // What the SDK sends next: the events not named in the answer.
    const second = await call(`${url}/2/httpapi`, { body: { api_key: API_KEY, events: [events[0], events[2]] } })
    expect(second.status).toBe(200)
    expect(eventIds(harness.sandbox)).toEqual(['good-1', 'good-2'])
    expect(harness.logs.filter((line) => line.startsWith('POST /2/httpapi'))).toEqual([
      expect.stringMatching(/ 400 \d+ms key=\S+ events=4 delivered=0 skipped=0 failed=2\(400\) retry=0 held=2$/),
      expect.stringMatching(/ 200 \d+ms key=\S+ events=2 delivered=2 skipped=0 failed=0 retry=0$/)
    ])
  })

  it('maps, normalises and hashes an upload once, and delivers the events that mapping built', async () => {
    const mapped = jest.spyOn(HostedAction.prototype, 'prepare')
    const built = jest.spyOn(capiEventBuild, 'buildServerEvent')
    try {
      const events = [amplitudePurchase('once-1'), amplitudePurchase('once-2'), amplitudePurchase('once-3')]
      const answer = await call(`${url}/2/httpapi`, { body: { api_key: API_KEY, events } })

      expect(answer.status).toBe(200)
      expect(answer.body).toMatchObject({ code: 200, events_ingested: 3 })
      expect(eventIds(harness.sandbox)).toEqual(['once-1', 'once-2', 'once-3'])
      expect(harness.sandbox.received().map((received) => userData(received).em)).toEqual([
        [EMAIL_HASH],
        [EMAIL_HASH],
        [EMAIL_HASH]
      ])
      expect(harness.sandbox.requests()).toBe(1)
      // Each event went through actions-core's mapping once and through our build (normalise, hash) once.
      const mappedEvents = mapped.mock.calls.reduce((sum, [, batch]) => sum + batch.length, 0)
      expect(mappedEvents).toBe(3)
      expect(built).toHaveBeenCalledTimes(3)
    } finally {
      mapped.mockRestore()
      built.mockRestore()
    }
  })

  it('maps a lone event once: refused, it leaves nothing for the SDK to resend', async () => {
    const mapSpy = jest.spyOn(Engine.prototype, 'map')
    const { event_type: _eventType, ...noEventType } = amplitudePurchase('lone-bad')
    try {
      const good = await call(`${url}/2/httpapi`, { body: { api_key: API_KEY, events: [amplitudePurchase('lone')] } })
      const bad = await call(`${url}/2/httpapi`, { body: { api_key: API_KEY, events: [noEventType] } })

      expect(good.status).toBe(200)
      expect(bad.body).toEqual({
        code: 400,
        error: 'Invalid events: [0] Amplitude event has no event_type',
        events_with_missing_fields: { event_type: [0] }
      })
      expect(eventIds(harness.sandbox)).toEqual(['lone'])
      expect(mapSpy).not.toHaveBeenCalled()
    } finally {
      mapSpy.mockRestore()
    }
  })

  it('answers 401 with Amplitude’s "Invalid API key" prefix, on which the SDK drops instead of retrying', async () => {
    const answer = await call(`${url}/2/httpapi`, {
      body: { api_key: 'not-a-configured-api-key', events: [amplitudePurchase('x')] }
    })

    expect(answer.status).toBe(401)
    expect(answer.body).toEqual({ code: 401, error: 'Invalid API key: not-…' })
  })

  it('answers 400 with missing_field for a body without api_key or events', async () => {
    const noKey = await call(`${url}/2/httpapi`, { body: { events: [] } })
    const noEvents = await call(`${url}/2/httpapi`, { body: { api_key: API_KEY } })
    const malformed = await call(`${url}/2/httpapi`, { body: '{"api_key":' })

    expect(noKey.body).toMatchObject({ code: 400, missing_field: 'api_key' })
    expect(noEvents.body).toMatchObject({ code: 400, missing_field: 'events' })
    expect(malformed.status).toBe(400)
    expect(malformed.body).toMatchObject({ code: 400, error: expect.stringMatching(/JSON/) })
  })

  it('answers 413 in Amplitude’s shape for a body over the limit', async () => {
    await harness.stop()
    harness = await startHarness({ maxBodyBytes: 1024 })
    const events = Array.from({ length: 10 }, (_, i) => amplitudePurchase(`big-${i}`))
    const answer = await call(`${harness.service.url}/2/httpapi`, { body: { api_key: API_KEY, events } })

    expect(answer.status).toBe(413)
    expect(answer.body).toEqual({ code: 413, error: 'Payload too large' })
  })

  it('answers 429 with throttled_events when Meta rate-limits past the service retries', async () => {
    harness.sandbox.injectFaults({ kind: 'rate_limit', count: 2 })
    const answer = await call(`${url}/2/httpapi`, {
      body: { api_key: API_KEY, events: [amplitudePurchase('t-1'), amplitudePurchase('t-2')] }
    })

    expect(answer.status).toBe(429)
    expect(answer.body).toMatchObject({ code: 429, throttled_events: [0, 1] })
    expect(harness.sandbox.received()).toHaveLength(0)
  })
})

describe('Amplitude event streaming webhook', () => {
  const exportEvent = (insertId: string, extra: Record<string, unknown> = {}) => ({
    event_type: 'Order Completed',
    user_id: 'user-12345',
    $insert_id: insertId,
    uuid: `uuid-${insertId}`,
    event_time: new Date().toISOString().replace('T', ' ').replace('Z', ''),
    ip_address: '203.0.113.7',
    user_properties: { email: EMAIL },
    event_properties: {
      revenue: 25,
      currency: 'USD',
      user_agent: 'Mozilla/5.0 (webhook)',
      '[Amplitude] Page Location': 'https://shop.example.com/thank-you'
    },
    ...extra
  })

  it('delivers one export event per request, keyed by Bearer or X-Api-Key', async () => {
    const bearer = await call(`${url}/webhooks/amplitude`, {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: exportEvent('wh-1')
    })
    const apiKey = await call(`${url}/webhooks/amplitude`, {
      headers: { 'x-api-key': SECOND_WRITE_KEY },
      body: exportEvent('wh-2')
    })

    expect([bearer.status, apiKey.status]).toEqual([200, 200])
    expect(bearer.body).toEqual({ status: 'delivered' })
    const received = harness.sandbox.received().map((r) => [r.pixelId, r.event.event_name, r.event.event_id])
    expect(received).toEqual([
      [PIXEL_ID, 'Purchase', 'wh-1'],
      [SECOND_PIXEL_ID, 'Purchase', 'wh-2']
    ])
  })

  it('answers 400 with the reason for an event refused for good, 401 without a key, 429 when rate-limited', async () => {
    const bad = await call(`${url}/webhooks/amplitude`, {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: exportEvent('wh-bad', { event_properties: { ...exportEvent('x').event_properties, currency: 'ZZZZ' } })
    })
    const noKey = await call(`${url}/webhooks/amplitude`, { body: exportEvent('wh-3') })
    harness.sandbox.injectFaults({ kind: 'rate_limit', count: 2 })
    const limited = await call(`${url}/webhooks/amplitude`, {
      headers: { 'x-api-key': API_KEY },
      body: exportEvent('wh-4')
    })

    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/currency/)
    expect(noKey.status).toBe(401)
    expect(limited.status).toBe(429)
  })
})

describe('routing and logging', () => {
  it('answers /health, 404 and 405', async () => {
    expect(await call(`${url}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } })
    expect((await call(`${url}/nope`, { method: 'POST', body: {} })).status).toBe(404)
    const wrongMethod = await call(`${url}/v1/batch`, { method: 'GET' })
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.allow).toBe('POST')
  })

  it('logs one line per request, never a token, key or email', async () => {
    await call(`${url}/v1/batch`, {
      headers: { authorization: basicAuth(WRITE_KEY) },
      body: { batch: [orderCompleted('l-1')] }
    })
    await call(`${url}/2/httpapi`, { body: { api_key: API_KEY, events: [amplitudePurchase('l-2')] } })
    await call(`${url}/v1/batch`, { headers: { authorization: basicAuth('wrong-key-123456789') }, body: {} })
    await call(`${url}/health?api_key=${API_KEY}`)

    expect(harness.logs).toHaveLength(4)
    expect(harness.logs[0]).toMatch(/^POST \/v1\/batch 200 \d+ms key=#[0-9a-f]{8} events=1 delivered=1/)
    const all = harness.logs.join('\n')
    for (const secret of [ACCESS_TOKEN, WRITE_KEY, API_KEY, 'wrong-key-123456789', EMAIL, EMAIL.toLowerCase()]) {
      expect(all).not.toContain(secret)
    }
  })
})
