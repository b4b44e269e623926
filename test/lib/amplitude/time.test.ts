import { adapted, rejection } from './helpers'

const base = { event_type: 'App Opened', user_id: 'user-123' }

function timestampOf(time: Record<string, unknown>): string {
  return adapted({ ...base, ...time }).timestamp
}

describe('event time', () => {
  it('reads the export format event_time as UTC: 2022-02-28 20:07:01.795 is 1646078821 s', () => {
    const timestamp = timestampOf({ event_time: '2022-02-28 20:07:01.795' })
    expect(timestamp).toBe('2022-02-28T20:07:01.795Z')
    expect(Math.floor(Date.parse(timestamp) / 1000)).toBe(1646078821)
  })

  describe('whatever the machine time zone', () => {
    const originalTz = process.env.TZ
    afterEach(() => {
      process.env.TZ = originalTz
    })

    it.each(['America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'])('in %s', (zone) => {
      process.env.TZ = zone
      expect(timestampOf({ event_time: '2022-02-28 20:07:01.795' })).toBe('2022-02-28T20:07:01.795Z')
      expect(timestampOf({ event_time: '2022-07-01T00:30:00' })).toBe('2022-07-01T00:30:00.000Z')
    })
  })

  it.each([
    [{ time: 1646078821795 }, '2022-02-28T20:07:01.795Z'],
    [{ time: '1646078821795' }, '2022-02-28T20:07:01.795Z'],
    [{ time: 1646078821795.9 }, '2022-02-28T20:07:01.795Z'],
    [{ event_time: 1646078821795 }, '2022-02-28T20:07:01.795Z'],
    [{ event_time: '1646078821795' }, '2022-02-28T20:07:01.795Z'],
    [{ event_time: '2022-02-28T20:07:01.795Z' }, '2022-02-28T20:07:01.795Z'],
    [{ event_time: '2022-02-28 20:07:01' }, '2022-02-28T20:07:01.000Z'],
    [{ event_time: '2022-02-28 20:07:01.795123' }, '2022-02-28T20:07:01.795Z'],
    [{ event_time: '2022-02-28 20:07:01.7' }, '2022-02-28T20:07:01.700Z'],
    [{ event_time: '2022-03-01T01:37:01.795+05:30' }, '2022-02-28T20:07:01.795Z'],
    [{ event_time: '2022-02-28T12:07:01.795-0800' }, '2022-02-28T20:07:01.795Z'],
    [{ event_time: '2024-02-29 00:00:00' }, '2024-02-29T00:00:00.000Z']
  ])('%j → %s', (time, expected) => {
    expect(timestampOf(time)).toBe(expected)
  })

  it('prefers the HTTP V2 time over event_time', () => {
    expect(timestampOf({ time: 1646078821795, event_time: '2000-01-01 00:00:00' })).toBe('2022-02-28T20:07:01.795Z')
  })

  it.each([
    ['missing', {}],
    ['null', { time: null }],
    ['blank', { event_time: '' }],
    ['a word', { event_time: 'yesterday' }],
    ['an impossible date', { event_time: '2022-02-30 10:00:00' }],
    ['an impossible hour', { event_time: '2022-02-28 24:00:00' }],
    ['an impossible offset', { event_time: '2022-02-28 10:00:00+25:00' }],
    ['a date without a time', { event_time: '2022-02-28' }],
    ['zero', { time: 0 }],
    ['negative', { time: -5 }],
    ['not finite', { time: Number.POSITIVE_INFINITY }],
    ['beyond what a Date holds', { time: 9e15 }],
    ['after year 9999', { time: Date.UTC(10000, 0, 1) }],
    ['an object', { time: { ms: 1646078821795 } }],
    ['a boolean', { time: true }]
  ])('rejects a time that is %s with a 400, never defaulting to now', (_label, time) => {
    const { status, error } = rejection({ ...base, ...time })
    expect(status).toBe(400)
    expect(error).toMatch(/^Amplitude event has an invalid time/)
  })
})
