import { contentId } from '../content-id'
import { nonBlankString, text, type JsonObject } from './values'

/** Values Amplitude itself rejects as user_id / device_id (HTTP V2 docs); the zero UUID is also a blocked IDFA. */
const INVALID_IDS = new Set(['anonymous', 'null', '0', '-1', '00000000-0000-0000-0000-000000000000'])

/** A usable Amplitude user_id, device_id or advertising id, or undefined for blanks and Amplitude's invalid values. */
export function validAmplitudeId(value: unknown): string | undefined {
  const id = nonBlankString(value)
  return id !== undefined && !INVALID_IDS.has(id.toLowerCase()) ? id : undefined
}

/**
 * insert_id / $insert_id (what the browser pixel may share for dedup), else the server-assigned uuid, else an id
 * derived from the content. Amplitude retries for hours, so a resend must produce the same id for Meta to drop it.
 */
export function messageIdFor(event: JsonObject, timeMs: number): string {
  return text(event.insert_id) ?? text(event.$insert_id) ?? text(event.uuid) ?? derivedId(event, timeMs)
}

/**
 * `amp-` + the first 32 hex of sha256(canonical JSON of event_type, user_id, device_id, time, event_properties).
 * The time is the parsed ms, so the HTTP V2 and export forms of one event get the same id. Changing this recipe
 * changes the ids of resent events, which Meta would then count twice.
 */
function derivedId(event: JsonObject, timeMs: number): string {
  const content = {
    event_type: event.event_type,
    user_id: event.user_id,
    device_id: event.device_id,
    time: timeMs,
    event_properties: event.event_properties
  }
  return contentId('amp-', content)
}
