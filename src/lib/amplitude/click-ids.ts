import { buildFbc, fbclidFromUrl } from '../user-data/fbc'
import { compact, first, nonBlankString, type JsonObject } from './values'

/**
 * Meta's fbc / fbp as Segment `properties.fbc` / `properties.fbp`. Without an fbc, one is built from an fbclid:
 * this event's own (property or page URL) before the user's latest, before the first-touch `initial_fbclid`.
 */
export function clickIdProperties(
  eventProperties: JsonObject,
  userProperties: JsonObject,
  pageUrl: string | undefined,
  eventTimeMs: number
): { fbc?: string; fbp?: string } {
  const fbclid = first(
    nonBlankString,
    eventProperties.fbclid,
    pageUrl === undefined ? undefined : fbclidFromUrl(pageUrl),
    userProperties.fbclid,
    userProperties.initial_fbclid
  )
  const fbc = first(nonBlankString, eventProperties.fbc, userProperties.fbc)
  return (
    compact({
      fbc: fbc ?? (fbclid === undefined ? undefined : buildFbc(fbclid, eventTimeMs)),
      fbp: first(nonBlankString, eventProperties.fbp, userProperties.fbp)
    }) ?? {}
  )
}
