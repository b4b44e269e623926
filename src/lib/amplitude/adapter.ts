import { clickIdProperties } from './click-ids'
import { contextFrom } from './context'
import { isPageViewed, mappedEventName } from './event-map'
import { eventTime } from './event-time'
import { messageIdFor, validAmplitudeId } from './identity'
import { propertiesFrom } from './properties'
import type { SegmentSpecEvent } from './segment-spec'
import { flattenedUserProperties } from './traits'
import { compact, isRecord, nonBlankString, recordOrEmpty, text, type JsonObject } from './values'

export interface AmplitudeAdapterOptions {
  /** User-configured Amplitude event_type → Meta event name; wins over DEFAULT_AMPLITUDE_EVENT_MAP. */
  eventMap?: Record<string, string>
}

export type AdaptResult = { ok: true; event: SegmentSpecEvent } | { ok: false; status: 400; error: string }

interface EventIdentity {
  userId?: string
  anonymousId?: string
  timeMs: number
}

/**
 * The Segment-spec event the destination maps, from one Amplitude event (HTTP V2 or export/streaming format).
 * Pure: the same input always gives a deep-equal result, so Amplitude's retries are deduplicated by Meta.
 * Errors name the problem but never echo a value, since ids and properties can hold personal data.
 */
export function amplitudeToSegment(input: unknown, options?: AmplitudeAdapterOptions): AdaptResult {
  if (!isRecord(input)) return rejected('Amplitude event must be a JSON object')
  const eventType = nonBlankString(input.event_type)
  if (eventType === undefined) return rejected('Amplitude event has no event_type')
  const userId = validAmplitudeId(input.user_id)
  const anonymousId = validAmplitudeId(input.device_id)
  if (userId === undefined && anonymousId === undefined) {
    return rejected('Amplitude event has neither a valid user_id nor a valid device_id')
  }
  const time = eventTime(input)
  if (!time.ok) return rejected(`Amplitude event has an invalid time: ${time.reason}`)
  return {
    ok: true,
    event: segmentEvent(input, eventType, { userId, anonymousId, timeMs: time.ms }, options?.eventMap)
  }
}

function rejected(error: string): AdaptResult {
  return { ok: false, status: 400, error }
}

function segmentEvent(
  event: JsonObject,
  eventType: string,
  identity: EventIdentity,
  eventMap: unknown
): SegmentSpecEvent {
  const eventProperties = recordOrEmpty(event.event_properties)
  const userProperties = flattenedUserProperties(recordOrEmpty(event.user_properties))
  const context = contextFrom(event, eventProperties, userProperties)
  const properties = {
    ...propertiesFrom(event, eventProperties),
    ...clickIdProperties(eventProperties, userProperties, context.page?.url, identity.timeMs)
  }
  return {
    ...eventNaming(eventType, properties, eventMap),
    messageId: messageIdFor(event, identity.timeMs),
    timestamp: new Date(identity.timeMs).toISOString(),
    ...compact({ userId: identity.userId, anonymousId: identity.anonymousId }),
    properties,
    context
  }
}

/**
 * A page view becomes a Segment page call, which the destination's PageView preset matches by type. Any other event
 * is a track call named after its Meta event when mapped, else kept as is: the presets also match Segment-spec names.
 */
function eventNaming(
  eventType: string,
  properties: JsonObject,
  eventMap: unknown
): Pick<SegmentSpecEvent, 'type' | 'event' | 'name'> {
  if (isPageViewed(eventType)) return { type: 'page', ...compact({ name: text(properties.title) }) }
  return { type: 'track', event: mappedEventName(eventType, eventMap) ?? eventType }
}
