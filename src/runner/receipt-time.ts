import { detectAmplitudeFormat } from '../lib/amplitude'
import { readsAsAmplitude } from './input'
import type { InputSource } from './input'
import { isRecord } from '../lib/is-record'

const missing = (value: unknown) => value === undefined || value === null || value === ''

/** Amplitude's export format writes UTC without a zone: `2026-11-22 08:00:00.000`. */
function exportTime(now: Date): string {
  return now.toISOString().replace('T', ' ').replace('Z', '')
}

/**
 * Gives an input without a time the time it was read, as Segment's and Amplitude's own APIs stamp receipt time:
 * `timestamp` for Segment (its `originalTimestamp` when it has one), `time` (HTTP V2) or `event_time` (export) for
 * Amplitude. Inputs that carry a time, and anything that is not an object, are returned unchanged; the input itself
 * is never modified.
 */
export function stampReceiptTime(input: unknown, source: InputSource, now: Date): unknown {
  if (!isRecord(input)) return input
  if (!readsAsAmplitude(input, source)) {
    if (!missing(input.timestamp)) return input
    // Segment's own rule without a timestamp: the device's originalTimestamp, else the time of receipt.
    const original = typeof input.originalTimestamp === 'string' && !Number.isNaN(Date.parse(input.originalTimestamp))
    return { ...input, timestamp: original ? input.originalTimestamp : now.toISOString() }
  }
  if (!missing(input.time) || !missing(input.event_time)) return input
  return detectAmplitudeFormat(input) === 'export'
    ? { ...input, event_time: exportTime(now) }
    : { ...input, time: now.getTime() }
}
