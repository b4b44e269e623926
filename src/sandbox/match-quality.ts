import { presentCustomerKeys } from './customer-keys'

/**
 * A rough stand-in for Events Manager's Event Match Quality (0–10), so a developer can see at a glance whether
 * the destination sends the keys that matter. It is NOT Meta's formula, which is unpublished.
 *
 * score = min(10, 3·em + 3·ph + 2·external_id + 1 per other customer-information key present)
 *
 * em and ph weigh most because they match people across devices; external_id next because it joins the
 * advertiser's own ids across channels; everything else (fbc, fbp, IP, user agent, names, address…) adds 1.
 */
export const MATCH_KEY_WEIGHTS: Readonly<Record<string, number>> = { em: 3, ph: 3, external_id: 2 }
const OTHER_KEY_WEIGHT = 1
export const MAX_MATCH_QUALITY = 10

export function matchQualityFromKeys(keys: readonly string[]): number {
  const total = keys.reduce((sum, key) => sum + (MATCH_KEY_WEIGHTS[key] ?? OTHER_KEY_WEIGHT), 0)
  return Math.min(MAX_MATCH_QUALITY, total)
}

export function matchQuality(userData: unknown): number {
  return matchQualityFromKeys(presentCustomerKeys(userData))
}
