import { validAmplitudeId } from './identity'
import type { SegmentContext } from './segment-spec'
import { traitsFrom } from './traits'
import { compact, first, nonBlankString, text, type JsonObject } from './values'

/** Segment `context` from the Amplitude event and its (flattened) user properties. */
export function contextFrom(
  event: JsonObject,
  eventProperties: JsonObject,
  userProperties: JsonObject
): SegmentContext {
  return (
    compact<SegmentContext>({
      ip: first(clientIp, event.ip, event.ip_address),
      // The export / streaming format has no user_agent field, so it can only arrive as a forwarded property.
      userAgent: first(nonBlankString, event.user_agent, eventProperties.user_agent, userProperties.user_agent),
      page: compact({ url: pageUrlOf(eventProperties), referrer: nonBlankString(eventProperties.referrer) }),
      traits: traitsFrom(userProperties),
      ...(isWebEvent(event) ? {} : deviceContext(event)),
      locale: text(event.language)
    }) ?? {}
  )
}

/** `$remote` asks Amplitude to use the request's IP; it is not an address. */
function clientIp(value: unknown): string | undefined {
  const ip = nonBlankString(value)
  return ip === '$remote' ? undefined : ip
}

function pageUrlOf(eventProperties: JsonObject): string | undefined {
  return first(nonBlankString, eventProperties['[Amplitude] Page Location'], eventProperties['[Amplitude] Page URL'])
}

/**
 * Amplitude's browser SDK reports the browser as os_name and a user-agent guess as device_model. Segment web events
 * carry no device/os/app context, and the destination reads one as a sign of an app event, so web events get none.
 */
function isWebEvent(event: JsonObject): boolean {
  return text(event.platform)?.toLowerCase() === 'web'
}

function deviceContext(event: JsonObject): Pick<SegmentContext, 'device' | 'os' | 'app' | 'network'> {
  return {
    device: compact({
      model: text(event.device_model),
      manufacturer: first(text, event.device_manufacturer, event.device_brand),
      advertisingId: first(validAmplitudeId, event.idfa, event.adid)
    }),
    os: compact({ name: first(text, event.os_name, event.platform), version: text(event.os_version) }),
    app: compact({ version: first(text, event.app_version, event.version_name) }),
    network: compact({ carrier: first(text, event.carrier, event.device_carrier) })
  }
}
