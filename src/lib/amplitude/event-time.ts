import type { JsonObject } from './values'

export type EventTime = { ok: true; ms: number } | { ok: false; reason: string }

/** 9999-12-31T23:59:59.999Z: later times print as `+010000-…`, which is not the ISO form Segment timestamps use. */
const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999)
const EPOCH_MS_STRING = /^\d+(\.\d+)?$/
// Amplitude times are milliseconds; below this (March 1973 in ms) a number is almost surely seconds.
const SMALLEST_PLAUSIBLE_MS = 1e11
/**
 * `2022-02-28 20:07:01.795` (export format, UTC without a zone) or ISO-8601 with `T`, `Z` or an offset.
 * Export API events carry microseconds, so any fraction length is accepted and cut to milliseconds.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i
const ZONE_OFFSET = /^([+-])(\d{2}):?(\d{2})?$/

/**
 * The event time in ms since epoch, from `time` (HTTP V2: ms, number or numeric string) or `event_time`
 * (export: UTC string, ISO string or ms). Never defaulted to now: a resend must produce the same event.
 */
export function eventTime(event: JsonObject): EventTime {
  const raw = event.time ?? event.event_time
  if (raw === undefined || raw === null) return { ok: false, reason: 'it has no time or event_time' }
  const ms = epochMsFrom(raw)
  if (ms === undefined) return { ok: false, reason: 'expected ms since epoch or a UTC date-time' }
  if (ms < SMALLEST_PLAUSIBLE_MS)
    return { ok: false, reason: 'it looks like seconds since epoch; Amplitude sends milliseconds' }
  return { ok: true, ms }
}

function epochMsFrom(raw: unknown): number | undefined {
  if (typeof raw === 'number') return validEpochMs(raw)
  if (typeof raw !== 'string') return undefined
  const trimmed = raw.trim()
  return EPOCH_MS_STRING.test(trimmed) ? validEpochMs(Number(trimmed)) : dateTimeMs(trimmed)
}

function validEpochMs(ms: number): number | undefined {
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_EPOCH_MS ? Math.floor(ms) : undefined
}

/** Parsed field by field with Date.UTC, because Date.parse of a zone-less string uses the machine's time zone. */
function dateTimeMs(value: string): number | undefined {
  const match = DATE_TIME.exec(value)
  if (!match) return undefined
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match
  const fields = [year, month, day, hour, minute, second].map(Number)
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3))
  const utcMs = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], millis)
  const offsetMs = zoneOffsetMs(zone)
  if (offsetMs === undefined || !isSameCalendarTime(utcMs, fields)) return undefined
  return validEpochMs(utcMs - offsetMs)
}

/** Date.UTC silently rolls 2022-02-30 over to March; a round trip catches impossible dates and times. */
function isSameCalendarTime(utcMs: number, [year, month, day, hour, minute, second]: number[]): boolean {
  const date = new Date(utcMs)
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  )
}

function zoneOffsetMs(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0
  const match = ZONE_OFFSET.exec(zone)
  if (!match) return undefined
  const [, sign, hours, minutes = '00'] = match
  if (Number(hours) > 23 || Number(minutes) > 59) return undefined
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000
}
