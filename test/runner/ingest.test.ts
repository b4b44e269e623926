import * as detect from '../../src/lib/amplitude/detect'
import { Engine } from '../../src/runner/engine'
import { ingest, ingestOne, stampSegment } from '../../src/runner/ingest'

const NOW = Date.parse('2026-11-22T08:00:00.000Z')

describe('the ingestion front', () => {
  it('reads each input once as Segment or Amplitude, or as the source given', () => {
    const segment = { type: 'track', event: 'Lead', messageId: 'm-1', timestamp: '2026-11-21T10:00:00.000Z' }
    const amplitude = { event_type: 'Sign Up', user_id: 'u', insert_id: 'i', time: 1 }

    expect(ingest([segment, amplitude, 'text'], 'auto', { receivedAt: NOW }).sources).toEqual([
      'segment',
      'amplitude',
      'segment'
    ])
    expect(ingest([segment, amplitude], 'amplitude', { receivedAt: NOW }).sources).toEqual(['amplitude', 'amplitude'])
  })

  it("stamps a Segment message without a timestamp by Segment's rule", () => {
    const stamp = (message: Record<string, unknown>, sentAt?: string) =>
      stampSegment({ messageId: 'm', ...message }, { receivedAt: NOW, sentAt }).timestamp

    expect(stamp({ timestamp: '2026-11-21T10:00:00.000Z' })).toBe('2026-11-21T10:00:00.000Z')
    expect(stamp({})).toBe('2026-11-22T08:00:00.000Z')
    expect(stamp({ timestamp: '' })).toBe('2026-11-22T08:00:00.000Z')
    expect(stamp({ originalTimestamp: '2026-11-21T09:00:00.000Z' })).toBe('2026-11-21T09:00:00.000Z')
    // The device clock runs 5 minutes ahead: receivedAt - (sentAt - originalTimestamp) corrects it.
    expect(stamp({ originalTimestamp: '2026-11-22T08:04:00.000Z' }, '2026-11-22T08:05:00.000Z')).toBe(
      '2026-11-22T07:59:00.000Z'
    )
    expect(
      stamp(
        { originalTimestamp: '2026-11-22T08:04:00.000Z', sentAt: '2026-11-22T08:06:00.000Z' },
        '2026-11-22T08:05:00.000Z'
      )
    ).toBe('2026-11-22T07:58:00.000Z')
  })

  it('derives a messageId from the content, the same for a resend whatever its transport fields or key order', () => {
    const first = stampSegment(
      { type: 'track', event: 'Lead', userId: 'u-1', properties: { a: 1, b: 2 }, sentAt: '2026-11-22T07:00:00.000Z' },
      { receivedAt: NOW }
    )
    const resent = stampSegment(
      { properties: { b: 2, a: 1 }, userId: 'u-1', event: 'Lead', type: 'track', writeKey: 'k' },
      { receivedAt: NOW + 60_000 }
    )
    const other = stampSegment({ type: 'track', event: 'Lead', userId: 'u-2' }, { receivedAt: NOW })

    expect(first.messageId).toMatch(/^svc-[0-9a-f]{32}$/)
    expect(resent.messageId).toBe(first.messageId)
    expect(other.messageId).not.toBe(first.messageId)
    expect(stampSegment({ messageId: 'given' }, { receivedAt: NOW }).messageId).toBe('given')
  })

  it('gives an Amplitude event with neither time nor event_time the receipt time in ms, in either format', () => {
    expect(
      ingestOne({ event_type: 'Sign Up', user_id: 'u', insert_id: 'i' }, 'auto', { receivedAt: NOW }).input
    ).toEqual({
      event_type: 'Sign Up',
      user_id: 'u',
      insert_id: 'i',
      time: NOW
    })
    expect(
      ingestOne({ event_type: 'Sign Up', user_id: 'u', $insert_id: 'i' }, 'auto', { receivedAt: NOW }).input
    ).toMatchObject({
      time: NOW
    })
    const exported = { event_type: 'Sign Up', user_id: 'u', $insert_id: 'i', event_time: '2026-11-21 08:00:00.000' }
    expect(ingestOne(exported, 'auto', { receivedAt: NOW }).input).toBe(exported)
    const timed = { event_type: 'Sign Up', user_id: 'u', time: 1 }
    expect(ingestOne(timed, 'amplitude', { receivedAt: NOW }).input).toBe(timed)
  })

  it('leaves non-objects alone and never modifies its input', () => {
    expect(ingestOne('text', 'auto', { receivedAt: NOW }).input).toBe('text')
    const input = { type: 'track', event: 'Lead' }
    ingestOne(input, 'auto', { receivedAt: NOW })
    expect(input).toEqual({ type: 'track', event: 'Lead' })
  })

  it('answers an event nested too deep to hash without a derived id instead of throwing', () => {
    let deep: Record<string, unknown> = {}
    for (let depth = 0; depth < 20_000; depth++) deep = { deep }
    const stamped = stampSegment({ type: 'track', event: 'Lead', properties: deep }, { receivedAt: NOW })
    expect(stamped.messageId).toBeUndefined()
    expect(stamped.timestamp).toBe('2026-11-22T08:00:00.000Z')
  })

  it('detects each input once: the engine maps what the front detected without detecting again', async () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0'
    const inputs = [
      { type: 'track', event: 'Lead', userId: 'u-1', context: { userAgent: ua, page: { url: 'https://a.example/' } } },
      {
        event_type: '[Amplitude] Page Viewed',
        user_id: 'u-2',
        insert_id: 'i-2',
        user_agent: ua,
        event_properties: { '[Amplitude] Page Location': 'https://a.example/' }
      }
    ]
    const engine = new Engine({ settings: { pixelId: '123456789012345', accessToken: 't' }, amplitudeEventMap: {} })
    const spy = jest.spyOn(detect, 'detectAmplitudeFormat')
    try {
      const front = ingest(inputs, 'auto', { receivedAt: Date.now() })
      const results = await engine.map(front.inputs, front.sources)

      expect(spy).toHaveBeenCalledTimes(inputs.length)
      expect(results.map((result) => ('event' in result ? result.event.event_name : result))).toEqual([
        'Lead',
        'PageView'
      ])
    } finally {
      spy.mockRestore()
    }
  })
})
