import { parseInputs } from '../../src/cli/input'
import { stampReceiptTime } from '../../src/cli/timestamps'

const NOW = new Date('2026-11-22T08:00:00.000Z')

describe('stampReceiptTime', () => {
  it('gives a Segment event without a timestamp the time of reading, and keeps one it has', () => {
    expect(stampReceiptTime({ type: 'track', event: 'Lead' }, 'auto', NOW)).toEqual({
      type: 'track',
      event: 'Lead',
      timestamp: '2026-11-22T08:00:00.000Z'
    })
    const timed = { type: 'page', timestamp: '2026-11-21T10:00:00.000Z' }
    expect(stampReceiptTime(timed, 'auto', NOW)).toBe(timed)
    expect(stampReceiptTime({ type: 'page', originalTimestamp: '2026-11-21T09:00:00.000Z' }, 'segment', NOW)).toEqual({
      type: 'page',
      originalTimestamp: '2026-11-21T09:00:00.000Z',
      timestamp: '2026-11-21T09:00:00.000Z'
    })
  })

  it('stamps Amplitude HTTP V2 events with time (ms) and export events with event_time (UTC)', () => {
    expect(stampReceiptTime({ event_type: 'Sign Up', user_id: 'u', insert_id: 'i' }, 'auto', NOW)).toMatchObject({
      time: NOW.getTime()
    })
    expect(stampReceiptTime({ event_type: 'Sign Up', user_id: 'u', $insert_id: 'i' }, 'auto', NOW)).toMatchObject({
      event_time: '2026-11-22 08:00:00.000'
    })
    const timed = { event_type: 'Sign Up', user_id: 'u', time: 1 }
    expect(stampReceiptTime(timed, 'amplitude', NOW)).toBe(timed)
  })

  it('leaves non-objects alone and never modifies its input', () => {
    expect(stampReceiptTime('text', 'auto', NOW)).toBe('text')
    const input = { type: 'track', event: 'Lead' }
    stampReceiptTime(input, 'auto', NOW)
    expect(input).toEqual({ type: 'track', event: 'Lead' })
  })
})

describe('parseInputs', () => {
  it('reads JSON Lines, skipping blank lines, with a non-JSON line as an error of its own', () => {
    expect(parseInputs('{"a":1}\n\n  \nnope\r\n{"b":2}\n')).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: false, error: 'line 4 is not valid JSON' },
      { ok: true, value: { b: 2 } }
    ])
  })

  it('reads a JSON array, even pretty-printed, and a single pretty-printed object', () => {
    expect(parseInputs('[\n  {"a": 1},\n  {"b": 2}\n]\n')).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: true, value: { b: 2 } }
    ])
    expect(parseInputs('{\n  "a": 1\n}\n')).toEqual([{ ok: true, value: { a: 1 } }])
    expect(parseInputs('\n')).toEqual([])
  })

  it('rejects a broken JSON array as a whole', () => {
    expect(() => parseInputs('[\n  {"a": 1},\n')).toThrow('starts like a JSON array but is not valid JSON')
  })
})
