import { presentCustomerKeys } from './customer-keys'

/**
 * An estimate of Events Manager's Event Match Quality (0–10), so a developer sees which keys an event lacks. Meta
 * does not publish its formula (the EMQ score "is calculated by looking at which customer information parameters are
 * received …, the quality of the information received and the percent of event instances that are matched":
 * marketing-api/reference/ads-pixel-capiemq), so the weights below follow what Meta does publish about each key:
 *
 * - 3: em, ph (contact information, Meta's primary match keys: capi/parameters/customer-information-parameters) and
 *   fbc (the click ID: "sharing ClickID can help you attribute more conversions", capi/parameters/fbp-and-fbc; it
 *   ties the event to the ad click itself).
 * - 2: external_id (Meta asks for it on every event: capi/best-practices), fbp ("we recommend that you always send
 *   _fbc and _fbp", capi/parameters/fbp-and-fbc; Meta uses it as the external ID when there is none:
 *   capi/parameters/external-id) and madid (the device's advertising ID, for app events).
 * - 1: client_ip_address and client_user_agent (required or recommended for website events, "contribute to improving
 *   the quality of events": capi/parameters).
 * - 0.5: every other key (names, birth date, gender, address, the messaging IDs…). Meta's v13 baseline rule calls
 *   events whose keys are only fn+ge, ln+ge, db+client_user_agent or ct+country+st+zp+ge+client_user_agent too broad
 *   to match (capi/parameters/server-event), so these count little on their own.
 *
 * score = min(10, sum of the weights of the keys present).
 */
export const MATCH_KEY_WEIGHTS: Readonly<Record<string, number>> = {
  em: 3,
  ph: 3,
  fbc: 3,
  external_id: 2,
  fbp: 2,
  madid: 2,
  client_ip_address: 1,
  client_user_agent: 1
}
export const OTHER_KEY_WEIGHT = 0.5
export const MAX_MATCH_QUALITY = 10

export type MatchRating = 'Poor' | 'OK' | 'Good' | 'Great'

export interface MatchEstimate {
  score: number
  rating: MatchRating
  /** Keys present, each with the weight it added. */
  keys: { key: string; weight: number }[]
  /** High-weight keys the event lacks, heaviest first: what would raise the estimate most. */
  missing: string[]
}

export function keyWeight(key: string): number {
  return MATCH_KEY_WEIGHTS[key] ?? OTHER_KEY_WEIGHT
}

export function matchQualityFromKeys(keys: readonly string[]): number {
  const total = keys.reduce((sum, key) => sum + keyWeight(key), 0)
  return Math.min(MAX_MATCH_QUALITY, total)
}

/** Events Manager's four EMQ bands; where the bands start is this estimate's choice, not Meta's. */
export function matchRating(score: number): MatchRating {
  if (score >= 8) return 'Great'
  if (score >= 6) return 'Good'
  if (score >= 4) return 'OK'
  return 'Poor'
}

/** App-only keys are not suggested for other events. */
const APP_ONLY_KEYS = new Set(['madid'])

export function matchEstimate(userData: unknown, actionSource?: unknown): MatchEstimate {
  const present = presentCustomerKeys(userData)
  const score = matchQualityFromKeys(present)
  const missing = Object.keys(MATCH_KEY_WEIGHTS)
    .filter((key) => !present.includes(key) && (actionSource === 'app' || !APP_ONLY_KEYS.has(key)))
    .sort((a, b) => keyWeight(b) - keyWeight(a))
  return { score, rating: matchRating(score), keys: present.map((key) => ({ key, weight: keyWeight(key) })), missing }
}

export function matchQuality(userData: unknown): number {
  return matchQualityFromKeys(presentCustomerKeys(userData))
}
