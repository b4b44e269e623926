import { invalidFieldsReport, parseAmplitudeUpload } from '../../src/service/amplitude'
import { parseTrustProxy, requestIp } from '../../src/service/request-ip'
import { LingerBatcher } from '../../src/service/batcher'
import { route } from '../../src/service/router'
import { parseSegmentBatch, parseSegmentMessage } from '../../src/service/segment'
import type { EventResult } from '../../src/runner/engine'

const RECEIVED_AT = Date.parse('2026-11-22T08:00:00.000Z')

describe('Segment parsing', () => {
  it('merges batch context and integrations under each message’s own, one level deep', () => {
    const parsed = parseSegmentBatch(
      {
        batch: [{ type: 'track', event: 'A', messageId: 'm', context: { ip: '1.1.1.1', traits: { name: 'N' } } }],
        context: { ip: '9.9.9.9', userAgent: 'UA', traits: { email: 'e@x.com' } },
        integrations: { All: true }
      },
      RECEIVED_AT
    )
    expect(parsed.ok && parsed.messages[0]).toMatchObject({
      context: { ip: '1.1.1.1', userAgent: 'UA', traits: { email: 'e@x.com', name: 'N' } },
      integrations: { All: true }
    })
  })

  it('keeps timestamp, corrects originalTimestamp by the sentAt skew, else uses the time of receipt', () => {
    const parsed = parseSegmentBatch(
      {
        sentAt: '2026-11-22T09:00:10.000Z', // the device clock is 1 h 10 s ahead
        batch: [
          { type: 'track', event: 'A', messageId: 'a', timestamp: '2026-11-22T07:00:00.000Z' },
          { type: 'track', event: 'B', messageId: 'b', originalTimestamp: '2026-11-22T09:00:00.000Z' },
          { type: 'track', event: 'C', messageId: 'c' }
        ]
      },
      RECEIVED_AT
    )
    const timestamps = parsed.ok ? parsed.messages.map((m) => (m as { timestamp: string }).timestamp) : []
    expect(timestamps).toEqual(['2026-11-22T07:00:00.000Z', '2026-11-22T07:59:50.000Z', '2026-11-22T08:00:00.000Z'])
  })

  it('sets the type from the path, drops writeKey from the message and derives a stable messageId', () => {
    const body = { type: 'page', writeKey: 'wk', event: 'X', userId: 'u' }
    const first = parseSegmentMessage(body, 'track', RECEIVED_AT)
    const again = parseSegmentMessage({ ...body, writeKey: 'other' }, 'track', RECEIVED_AT + 5000)
    const message = first.ok ? (first.messages[0] as Record<string, unknown>) : {}
    expect(first.ok && first.writeKey).toBe('wk')
    expect(message.type).toBe('track')
    expect(message.writeKey).toBeUndefined()
    expect(message.messageId).toMatch(/^svc-/)
    expect(again.ok && (again.messages[0] as Record<string, unknown>).messageId).toBe(message.messageId)
  })
})

describe('Amplitude parsing', () => {
  it('gives events without time the upload time and leaves others alone', () => {
    const parsed = parseAmplitudeUpload(
      {
        api_key: 'k',
        events: [
          { event_type: 'a' },
          { event_type: 'b', time: 5 },
          // An export-format event keeps its own event_time: the upload time must not override it.
          { event_type: 'c', event_time: '2026-11-21 08:00:00.000' },
          'junk'
        ]
      },
      RECEIVED_AT
    )
    expect(parsed.ok && parsed.events).toEqual([
      { event_type: 'a', time: RECEIVED_AT },
      { event_type: 'b', time: 5 },
      { event_type: 'c', event_time: '2026-11-21 08:00:00.000' },
      'junk'
    ])
  })

  it('gives ip "$remote" the upload request\'s IP, as Amplitude does, and leaves real addresses alone', () => {
    const parsed = parseAmplitudeUpload(
      {
        api_key: 'k',
        events: [
          { event_type: 'a', time: 1, ip: '$remote' },
          { event_type: 'b', time: 1, ip: '203.0.113.9' }
        ]
      },
      RECEIVED_AT,
      '198.51.100.4'
    )
    expect(parsed.ok && parsed.events).toEqual([
      { event_type: 'a', time: 1, ip: '198.51.100.4' },
      { event_type: 'b', time: 1, ip: '203.0.113.9' }
    ])
  })

  it('files refused events under the field Amplitude would blame', () => {
    const events = [
      { user_id: 'user-1' },
      { event_type: 'a' },
      { event_type: 'a', user_id: 'null' },
      'junk',
      { event_type: 'a', user_id: 'user-1', time: 1 }
    ]
    const report = invalidFieldsReport(
      events,
      events.map((_event, index) => ({ index, error: 'x' }))
    )
    expect(report).toEqual({
      events_with_missing_fields: { event_type: [0], user_id: [1] },
      events_with_invalid_fields: { user_id: [2], event: [3, 4] }
    })
  })
})

describe('routing', () => {
  it('matches paths with or without a trailing slash, 405 with Allow for a wrong method, 404 otherwise', () => {
    expect(route('POST', '/v1/track/')).toEqual({ ok: true, endpoint: { kind: 'segment-single', type: 'track' } })
    expect(route('POST', '/batch')).toEqual({ ok: true, endpoint: { kind: 'amplitude-upload' } })
    expect(route('PUT', '/2/httpapi')).toEqual({ ok: false, status: 405, allow: 'POST' })
    expect(route('POST', '/health')).toEqual({ ok: false, status: 405, allow: 'GET, HEAD' })
    expect(route('GET', '/v2/batch')).toEqual({ ok: false, status: 404 })
  })
})

describe('LingerBatcher', () => {
  const delivered = (events: unknown[]): EventResult[] =>
    events.map((event, index) => ({ index, status: 200, event: { event_id: event } as never }))

  it('sends concurrent submissions as one batch and hands each its own results, re-indexed', async () => {
    const sends: unknown[][] = []
    const batcher = new LingerBatcher(async (events) => (sends.push(events), delivered(events)), 20, 1000)
    const [a, b] = await Promise.all([batcher.submit(['a1', 'a2']), batcher.submit(['b1'])])

    expect(sends).toEqual([['a1', 'a2', 'b1']])
    expect(a.map((r) => [r.index, 'event' in r && r.event.event_id])).toEqual([
      [0, 'a1'],
      [1, 'a2']
    ])
    expect(b.map((r) => [r.index, 'event' in r && r.event.event_id])).toEqual([[0, 'b1']])
  })

  it('flushes at once when it holds flushAt events', async () => {
    const sends: number[] = []
    const batcher = new LingerBatcher(async (events) => (sends.push(events.length), delivered(events)), 60_000, 3)
    await Promise.all([batcher.submit([1, 2]), batcher.submit([3])])
    expect(sends).toEqual([3])
  })

  it('sends a batch per linger window while an earlier one is still in flight', async () => {
    let release: () => void = () => undefined
    const sends: unknown[][] = []
    const batcher = new LingerBatcher(
      async (events) => {
        sends.push(events)
        if (sends.length === 1) await new Promise<void>((resolve) => (release = resolve))
        return delivered(events)
      },
      5,
      1000
    )
    const first = batcher.submit(['x'])
    await new Promise((resolve) => setTimeout(resolve, 30))
    const second = await batcher.submit(['y'])
    expect(sends).toEqual([['x'], ['y']])
    expect(second).toHaveLength(1)
    release()
    expect(await first).toHaveLength(1)
  })

  it('answers every event as retryable when the engine throws', async () => {
    const batcher = new LingerBatcher(
      async () => {
        throw new Error('boom')
      },
      0,
      1000
    )
    const [result] = await batcher.submit(['x'])
    expect(result).toEqual({ index: 0, status: 500, error: 'the service failed: boom', retryable: true })
  })
})

describe('requestIp', () => {
  const request = (headers: Record<string, string>, remoteAddress?: string) => {
    const socket = { remoteAddress }
    return { headers, socket, connection: socket } as unknown as Parameters<typeof requestIp>[0]
  }
  const forwarded = { 'x-forwarded-for': '198.51.100.9, 203.0.113.7, 10.0.0.2' }

  it('ignores X-Forwarded-For by default: the socket peer is the client', () => {
    expect(requestIp(request(forwarded, '10.0.0.3'))).toBe('10.0.0.3')
  })

  it('with a hop count, walks back that many trusted proxies', () => {
    expect(requestIp(request(forwarded, '10.0.0.3'), parseTrustProxy('1'))).toBe('10.0.0.2')
    expect(requestIp(request(forwarded, '10.0.0.3'), parseTrustProxy('2'))).toBe('203.0.113.7')
  })

  it('with addresses and CIDR ranges, trusts only those hops', () => {
    const trust = parseTrustProxy('10.0.0.0/8, loopback')
    expect(requestIp(request(forwarded, '10.0.0.3'), trust)).toBe('203.0.113.7')
    // A peer outside the trusted ranges is the client, whatever it forwards.
    expect(requestIp(request(forwarded, '192.0.2.1'), trust)).toBe('192.0.2.1')
  })

  it('refuses a --trust-proxy value that is neither a count nor addresses', () => {
    expect(() => parseTrustProxy('not-an-address')).toThrow(/--trust-proxy/)
    expect(() => parseTrustProxy(' , ')).toThrow(/hop count or addresses/)
  })

  it('writes IPv4-mapped IPv6 as IPv4, and gives nothing for a peer that is not an address', () => {
    expect(requestIp(request({}, '::ffff:127.0.0.1'))).toBe('127.0.0.1')
    expect(requestIp(request({}, '2001:db8::1'))).toBe('2001:db8::1')
    expect(requestIp(request({}, undefined))).toBeUndefined()
  })
})
