import { EVENT_RULES, eventRules, eventTimeSeconds, firstBrokenRule } from '../../../src/lib/contract/event-rules'
import { CLAMP_FUTURE_AFTER_SECONDS, SANDBOX_MAX_FUTURE_SECONDS } from '../../../src/lib/contract/meta-constants'
import { resolveEventTime } from '../../../src/lib/capi-event/event-time'

const NOW_MS = Date.parse('2026-11-22T12:00:00Z')
const NOW_S = NOW_MS / 1000

describe('the event rules table', () => {
  it('gives every rule a distinct id', () => {
    const ids = EVENT_RULES.map((rule) => rule.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('refuses an id that is not in the table, so a typo cannot silently drop a rule', () => {
    expect(() => eventRules(['website-client-user-agent', 'purchase-valeu'])).toThrow(
      'No event rule "purchase-valeu" in EVENT_RULES'
    )
  })

  it('states both wordings of a failure: Meta’s for the sandbox and the destination’s', () => {
    const failure = firstBrokenRule(
      { event_name: 'Lead', event_time: NOW_S, action_source: 'website', user_data: {} },
      NOW_S
    )
    expect(failure?.title).toBe('Missing Event Source URL')
    expect(failure?.metaMessage(3)).toBe(
      "The parameter $['data'][3]['event_source_url'] is required for website events."
    )
    expect(failure?.message).toBe('website events need the page URL (event_source_url)')
  })
})

describe('the future event_time limits', () => {
  it('clamps well inside the limit the sandbox enforces', () => {
    expect(CLAMP_FUTURE_AFTER_SECONDS).toBeLessThan(SANDBOX_MAX_FUTURE_SECONDS)
  })

  it('sends an event_time the sandbox accepts for any clock running ahead', () => {
    const rule = eventRules(['event-time-not-in-future'])
    for (const aheadSeconds of [
      0,
      CLAMP_FUTURE_AFTER_SECONDS,
      CLAMP_FUTURE_AFTER_SECONDS + 1,
      86400,
      10 * 365 * 86400
    ]) {
      const time = resolveEventTime((NOW_S + aheadSeconds) * 1000, 'website', NOW_MS)
      expect(time.ok).toBe(true)
      const seconds = time.ok ? time.seconds : NaN
      expect([aheadSeconds, seconds <= NOW_S + CLAMP_FUTURE_AFTER_SECONDS]).toEqual([aheadSeconds, true])
      expect(firstBrokenRule({ event_time: seconds }, NOW_S, rule)).toBeUndefined()
    }
  })

  it('has the sandbox reject just past its own limit', () => {
    const rule = eventRules(['event-time-not-in-future'])
    expect(firstBrokenRule({ event_time: NOW_S + SANDBOX_MAX_FUTURE_SECONDS }, NOW_S, rule)).toBeUndefined()
    expect(firstBrokenRule({ event_time: NOW_S + SANDBOX_MAX_FUTURE_SECONDS + 1 }, NOW_S, rule)?.title).toBe(
      'Event Timestamp Too Far In The Future'
    )
  })
})

describe('eventTimeSeconds, the event_time Meta reads', () => {
  it.each([
    [NOW_S, NOW_S],
    ['2026-11-22T12:00:00Z', NOW_S],
    ['2026-11-22T12:00:00.999Z', NOW_S],
    ['2026-11-22T12:00:00.123456789Z', NOW_S],
    ['2026-11-22T14:00:00+02:00', NOW_S],
    ['2026-11-22T07:00:00-0500', NOW_S],
    ['2026-11-22T17:45:00+05:45', NOW_S],
    ['2024-02-29T00:00:00Z', Date.parse('2024-02-29T00:00:00Z') / 1000],
    ['1969-12-31T23:59:59Z', -1]
  ])('reads %j as %d', (value, seconds) => {
    expect(eventTimeSeconds(value)).toBe(seconds)
  })

  it.each([
    0,
    -5,
    NOW_S + 0.5,
    Number.NaN,
    String(NOW_S),
    '2026-11-22',
    '2026-11-22T12:00:00',
    '2026-11-22 12:00:00Z',
    '2026-11-22T12:00Z',
    '2025-02-29T00:00:00Z',
    '2026-11-22T12:60:00Z',
    '2026-11-22T12:00:60Z',
    '2026-11-22T12:00:00+02:60',
    '2026-11-22T12:00:00.Z',
    '2026-11-22T12:00:00Z\n',
    'Sun, 22 Nov 2026 12:00:00 GMT',
    null,
    undefined,
    { seconds: NOW_S }
  ])('refuses %j', (value) => {
    expect(eventTimeSeconds(value)).toBeUndefined()
  })
})
