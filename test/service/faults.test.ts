import { startSandbox, type Sandbox } from '../../src/sandbox'
import { startIngestService } from '../../src/service'
import { parseTrustProxy } from '../../src/service/request-ip'
import {
  amplitudePurchase,
  API_KEY,
  basicAuth,
  call,
  eventIds,
  firstPixel,
  orderCompleted,
  startHarness,
  WRITE_KEY,
  type Harness
} from './support'

function deepJson(body: unknown, levels: number): string {
  const deep = '{"a":'.repeat(levels) + '"leaf"' + '}'.repeat(levels)
  return JSON.stringify(body).replaceAll('"__deep__"', deep)
}

function countBy(ids: string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const id of ids) counts[id] = (counts[id] ?? 0) + 1
  return counts
}

describe('a poison event beside good traffic', () => {
  let harness: Harness & { stop(): Promise<void> }
  afterEach(async () => {
    await harness?.stop()
  })

  it('is refused alone although the batcher merged it with other clients’ events; nothing is resent', async () => {
    // The depth limit is lifted so that the poison reaches actions-core, whose removeUndefined overflows on it.
    harness = await startHarness({ eventLimits: { maxDepth: 1_000_000 }, lingerMs: 200 })
    const url = `${harness.service.url}/2/httpapi`
    const poison = amplitudePurchase('poison', { event_properties: { deep: '__deep__' } })
    // Alone in its upload (an upload with other events would be checked by a dry run and held back whole).
    const clientA = call(url, { body: deepJson({ api_key: API_KEY, events: [poison] }, 20_000) })
    const clientB = call(url, {
      body: { api_key: API_KEY, events: [amplitudePurchase('b-1'), amplitudePurchase('b-2')] }
    })
    const clientC = call(url, { body: { api_key: API_KEY, events: [amplitudePurchase('c-1')] } })

    const [a, b, c] = await Promise.all([clientA, clientB, clientC])

    expect(a.status).toBe(400)
    expect(a.body).toEqual({
      code: 400,
      error: expect.stringMatching(/^Invalid events: \[0\] the destination cannot process this event: /),
      events_with_invalid_fields: { event: [0] }
    })
    expect(b).toMatchObject({ status: 200, body: { code: 200, events_ingested: 2 } })
    expect(c).toMatchObject({ status: 200, body: { code: 200, events_ingested: 1 } })
    await harness.service.close()
    // Every good event exactly once; the poison never, and nothing went out again after the answers.
    expect(countBy(eventIds(harness.sandbox))).toEqual({ 'b-1': 1, 'b-2': 1, 'c-1': 1 })
  })
})

/** The sandbox, holding every events request until `release()`, then checking and accepting it as Meta does. */
async function heldMeta(): Promise<{ held: Promise<void>; release(): void; sandbox: Sandbox }> {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let heldResolve!: () => void
  const held = new Promise<void>((resolve) => (heldResolve = resolve))
  const sandbox = await startSandbox({
    answer: async () => {
      heldResolve()
      await released
      return undefined
    }
  })
  return { held, release, sandbox }
}

describe('the time budget', () => {
  it('answers retryable when Meta has not answered in time, and counts the late delivery apart', async () => {
    const meta = await heldMeta()
    const logs: string[] = []
    const service = await startIngestService({
      sources: { [WRITE_KEY]: firstPixel },
      requestBudgetMs: 50,
      engine: { graphUrl: meta.sandbox.url },
      log: (line) => logs.push(line)
    })
    try {
      const answer = await call(`${service.url}/v1/batch`, {
        body: { batch: [orderCompleted('slow-1')] },
        headers: { authorization: basicAuth(WRITE_KEY) }
      })
      expect(answer.status).toBe(503)
      expect(answer.body).toEqual({
        success: false,
        error: '1 of 1 events could not be delivered yet (Meta is unavailable); resend them'
      })
      await meta.held
      meta.release()
    } finally {
      await service.close()
      await meta.sandbox.close()
    }
    expect(eventIds(meta.sandbox)).toEqual(['slow-1'])
    const text = await service.metrics.metrics()
    expect(text).toContain('meta_pixel_events_retry_total{source="segment",reason="budget"} 1')
    expect(text).toContain('meta_pixel_events_delivered_late_total{source="segment"} 1')
    expect(text).not.toContain('meta_pixel_events_delivered_total{source="segment"}')
  })
})

describe('GET /metrics', () => {
  let harness: Harness & { stop(): Promise<void> }
  afterEach(async () => {
    await harness?.stop()
  })

  it('counts events by source and outcome, Meta errors by code, and request latency, in Prometheus text', async () => {
    harness = await startHarness()
    const url = harness.service.url
    const deep = orderCompleted('deep-1', { properties: { deep: '__deep__' } })
    await call(`${url}/v1/batch`, {
      body: deepJson({ batch: [orderCompleted('m-1'), deep] }, 100),
      headers: { authorization: basicAuth(WRITE_KEY) }
    })
    harness.sandbox.injectFaults({ kind: 'rate_limit', count: 2 })
    const throttled = await call(`${url}/2/httpapi`, { body: { api_key: API_KEY, events: [amplitudePurchase('m-2')] } })
    expect(throttled.status).toBe(429)

    const answer = await call(`${url}/metrics`)

    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8')
    const lines = (answer.body as string).split('\n')
    expect(lines).toEqual(
      expect.arrayContaining([
        'meta_pixel_events_received_total{source="segment"} 2',
        'meta_pixel_events_received_total{source="amplitude"} 1',
        'meta_pixel_events_delivered_total{source="segment"} 1',
        'meta_pixel_events_refused_total{source="segment",reason="too_deep"} 1',
        'meta_pixel_events_retry_total{source="amplitude",reason="rate_limited"} 1',
        'meta_pixel_meta_errors_total{code="613"} 1',
        'meta_pixel_request_duration_seconds_count{endpoint="segment-batch",status="200"} 1',
        'meta_pixel_request_duration_seconds_count{endpoint="amplitude-upload",status="429"} 1'
      ])
    )
  })
})

describe('client_ip_address from X-Forwarded-For', () => {
  let harness: Harness & { stop(): Promise<void> }
  afterEach(async () => {
    await harness?.stop()
  })

  async function sentIp(): Promise<unknown> {
    await call(`${harness.service.url}/2/httpapi`, {
      body: { api_key: API_KEY, events: [amplitudePurchase('ip-1', { ip: '$remote' })] },
      headers: { 'x-forwarded-for': '198.51.100.9' }
    })
    return (harness.sandbox.received()[0].event.user_data as { client_ip_address?: string }).client_ip_address
  }

  it('is ignored by default: a caller cannot choose the address sent to Meta', async () => {
    harness = await startHarness()
    expect(await sentIp()).toBe('127.0.0.1')
  })

  it('is read when the peer is a trusted proxy', async () => {
    harness = await startHarness({ trustProxy: parseTrustProxy('loopback') })
    expect(await sentIp()).toBe('198.51.100.9')
  })
})
