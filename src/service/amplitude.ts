import { validAmplitudeId } from '../lib/amplitude/identity'
import { isRecord } from '../lib/is-record'
import { stampAmplitude } from '../runner/ingest'

export type AmplitudeParse =
  { ok: true; apiKey: string; events: unknown[] } | { ok: false; missingField?: 'api_key' | 'events'; reason: string }

/** What Amplitude's API fills in from the upload itself: receipt time, and the request's IP for `ip: "$remote"`. */
function withUploadFacts(event: unknown, receivedAt: number, uploadIp: string | undefined): unknown {
  if (!isRecord(event)) return event
  const stamped = stampAmplitude(event, { receivedAt })
  return stamped.ip === '$remote' && uploadIp ? { ...stamped, ip: uploadIp } : stamped
}

/**
 * `POST /2/httpapi` and `/batch`: `{ api_key, events, options? }`. An event without `time` gets the upload time
 * (the time of receipt), as Amplitude's own API does; the SDKs always set it. Such an event without an insert_id
 * would get a different derived event_id on a resend, which is why the SDKs always send an insert_id too.
 */
export function parseAmplitudeUpload(body: unknown, receivedAt: number, uploadIp?: string): AmplitudeParse {
  if (!isRecord(body)) return { ok: false, reason: 'the body must be a JSON object { api_key, events }' }
  const apiKey = typeof body.api_key === 'string' ? body.api_key.trim() : ''
  if (!apiKey) return { ok: false, missingField: 'api_key', reason: 'Request missing required field' }
  if (!Array.isArray(body.events))
    return { ok: false, missingField: 'events', reason: 'Request missing required field' }
  const events = body.events.map((event) => withUploadFacts(event, receivedAt, uploadIp))
  return { ok: true, apiKey, events }
}

export interface InvalidEvent {
  index: number
  error: string
}

export type InvalidFieldsReport = {
  events_with_invalid_fields?: Record<string, number[]>
  events_with_missing_fields?: Record<string, number[]>
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null
}

/**
 * The field Amplitude would blame for an event the adapter or the destination refused, checked in the adapter's
 * order. A refusal that is about no single Amplitude field (e.g. a Purchase without a currency) is filed as `event`.
 */
function blamedField(event: unknown): { missing: boolean; field: string } {
  if (!isRecord(event)) return { missing: false, field: 'event' }
  if (isMissing(event.event_type)) return { missing: true, field: 'event_type' }
  if (typeof event.event_type !== 'string' || !event.event_type.trim()) return { missing: false, field: 'event_type' }
  if (isMissing(event.user_id) && isMissing(event.device_id)) return { missing: true, field: 'user_id' }
  if (validAmplitudeId(event.user_id) === undefined && validAmplitudeId(event.device_id) === undefined) {
    return { missing: false, field: isMissing(event.user_id) ? 'device_id' : 'user_id' }
  }
  const time = event.time ?? event.event_time
  if (typeof time !== 'number' && typeof time !== 'string') return { missing: false, field: 'time' }
  return { missing: false, field: 'event' }
}

/** Indices grouped the way Amplitude's 400 answer lists them; the SDK drops exactly these events. */
export function invalidFieldsReport(events: unknown[], invalid: InvalidEvent[]): InvalidFieldsReport {
  const report: Required<InvalidFieldsReport> = { events_with_invalid_fields: {}, events_with_missing_fields: {} }
  for (const { index } of invalid) {
    const { missing, field } = blamedField(events[index])
    const group = missing ? report.events_with_missing_fields : report.events_with_invalid_fields
    group[field] = [...(group[field] ?? []), index]
  }
  return {
    ...(Object.keys(report.events_with_invalid_fields).length > 0 && {
      events_with_invalid_fields: report.events_with_invalid_fields
    }),
    ...(Object.keys(report.events_with_missing_fields).length > 0 && {
      events_with_missing_fields: report.events_with_missing_fields
    })
  }
}

const MAX_LISTED_REASONS = 5

/** "Invalid events: [1] …; [4] …", the first few reasons; adapter and destination messages never quote values. */
export function invalidSummary(invalid: InvalidEvent[]): string {
  const listed = invalid.slice(0, MAX_LISTED_REASONS).map(({ index, error }) => `[${index}] ${error}`)
  const more = invalid.length > MAX_LISTED_REASONS ? `; and ${invalid.length - MAX_LISTED_REASONS} more` : ''
  return `Invalid events: ${listed.join('; ')}${more}`
}

export type WebhookParse = { ok: true; event: Record<string, unknown> } | { ok: false; reason: string }

/** `POST /webhooks/amplitude`: one export-format event per request, as Amplitude's event streaming sends it. */
export function parseWebhookEvent(body: unknown): WebhookParse {
  if (!isRecord(body)) return { ok: false, reason: 'expected one Amplitude export-format event (a JSON object)' }
  return { ok: true, event: body }
}
