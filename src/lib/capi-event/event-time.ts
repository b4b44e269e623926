import { CLAMP_FUTURE_AFTER_SECONDS, maxEventAgeSeconds } from '../contract/meta-constants'

// Below this a number is read as Unix seconds, above it as milliseconds (1e11 s is the year 5138).
const SECONDS_MS_BOUNDARY = 1e11

function fromUnixTimestamp(numeric: number): number | undefined {
  if (!Number.isFinite(numeric) || numeric <= 0) return undefined
  return numeric < SECONDS_MS_BOUNDARY ? numeric * 1000 : numeric
}

/** The instant of an ISO string, a Unix timestamp in seconds or milliseconds, or a numeric string; undefined if none. */
export function parseEventTimeMs(value: string | number): number | undefined {
  if (typeof value === 'number' || /^\s*\d+(\.\d+)?\s*$/.test(value)) return fromUnixTimestamp(Number(value))
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}

export type EventTime = { ok: true; seconds: number; ms: number } | { ok: false; error: string }

/**
 * Meta rejects a whole request when one event is too old, so old events are refused here, one by one.
 * Events from clocks running ahead are clamped to now rather than rejected: the conversion did happen.
 */
export function resolveEventTime(value: string | number, actionSource: string, nowMs: number): EventTime {
  const ms = parseEventTimeMs(value)
  if (ms === undefined) return { ok: false, error: 'event_time is not a valid date or Unix timestamp' }
  const nowSeconds = Math.floor(nowMs / 1000)
  const seconds = Math.floor(ms / 1000)
  const maxAge = maxEventAgeSeconds(actionSource)
  if (nowSeconds - seconds > maxAge) {
    return {
      ok: false,
      error: `event_time ${new Date(ms).toISOString()} is older than the ${maxAge / 86400} days Meta accepts for ${actionSource} events`
    }
  }
  if (seconds - nowSeconds > CLAMP_FUTURE_AFTER_SECONDS) return { ok: true, seconds: nowSeconds, ms: nowMs }
  return { ok: true, seconds, ms }
}
