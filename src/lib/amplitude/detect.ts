import { isRecord, type JsonObject } from './values'

export type AmplitudeFormat = 'http_v2' | 'export'

type KeyCheck = (value: unknown) => boolean

const isString: KeyCheck = (value) => typeof value === 'string'
const isNumberOrString: KeyCheck = (value) => typeof value === 'number' || typeof value === 'string'

/**
 * Keys only the export / streaming / webhook format has. The HTTP V2 names (`time`, `insert_id`, `ip`) need no
 * check of their own: HTTP V2 is the fallback because clients cannot send these server-assigned or renamed keys.
 */
const EXPORT_KEYS: Record<string, KeyCheck> = {
  event_time: isNumberOrString,
  $insert_id: isString,
  ip_address: isString,
  uuid: isString,
  amplitude_id: isNumberOrString
}

/** Amplitude's own id and time keys: on their own they identify an Amplitude event even without event_type. */
const AMPLITUDE_ID_AND_TIME_KEYS = ['time', 'event_time', 'insert_id', '$insert_id', 'uuid', 'amplitude_id']

function hasAnyKey(event: JsonObject, checks: Record<string, KeyCheck>): boolean {
  return Object.entries(checks).some(([key, check]) => check(event[key]))
}

/** Segment's `type` + `messageId`/`event` shape; such an event also goes through a Segment path, never this adapter. */
function looksLikeSegmentEvent(event: JsonObject): boolean {
  return typeof event.type === 'string' && (event.messageId !== undefined || event.event !== undefined)
}

function looksLikeAmplitudeEvent(event: JsonObject): boolean {
  return (
    typeof event.event_type === 'string' ||
    AMPLITUDE_ID_AND_TIME_KEYS.some((key) => event[key] !== undefined && event[key] !== null)
  )
}

/**
 * 'http_v2' when it has `time` (ms) / `insert_id` / `ip`, 'export' when it has `event_time` string / `$insert_id` /
 * `ip_address` / `uuid` / `amplitude_id`; undefined when it is not an Amplitude event (no `event_type` string AND none
 * of the Amplitude id/time keys). A Segment event (has `type` + `messageId`/`event`) is never detected as Amplitude.
 * An Amplitude event with neither format's keys is reported as 'http_v2', the format clients send.
 */
export function detectAmplitudeFormat(input: unknown): AmplitudeFormat | undefined {
  if (!isRecord(input) || looksLikeSegmentEvent(input) || !looksLikeAmplitudeEvent(input)) return undefined
  if (hasAnyKey(input, EXPORT_KEYS)) return 'export'
  return 'http_v2'
}
