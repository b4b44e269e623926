import type { CapiUserData } from '../user-data'
import { INSUFFICIENT_KEY_SETS } from './meta-constants'
import type { ServerEvent } from './types'

function presentKeys(userData: CapiUserData): string[] {
  return Object.keys(userData).filter((key) => userData[key as keyof CapiUserData] !== undefined)
}

/** Meta's v13 baseline rule: keys that all sit inside one weak set (or no keys at all) cannot identify anyone. */
export function isTooBroadToMatch(keys: readonly string[]): boolean {
  return INSUFFICIENT_KEY_SETS.some((weakSet) => keys.every((key) => weakSet.includes(key)))
}

export function hasMatchableCustomerInformation(userData: CapiUserData): boolean {
  return !isTooBroadToMatch(presentKeys(userData))
}

/** The first of Meta's request rules this event breaks, so it fails alone instead of sinking its request. */
export function firstRuleViolation(event: ServerEvent): string | undefined {
  if (event.action_source === 'website') {
    if (!event.user_data.client_user_agent) return 'website events need the client user agent (client_user_agent)'
    if (!event.event_source_url) return 'website events need the page URL (event_source_url)'
  }
  if (event.event_name === 'Purchase') {
    if (typeof event.custom_data?.value !== 'number') return 'Purchase events need a numeric value'
    if (!event.custom_data?.currency) return 'Purchase events need a currency (or set a default currency)'
  }
  if (!hasMatchableCustomerInformation(event.user_data)) {
    const keys = presentKeys(event.user_data)
    return keys.length === 0
      ? 'no customer information: map at least an email, phone, external ID, IP address with user agent, fbp or fbc'
      : `customer information too broad for Meta to match (only ${keys.join(', ')}); add an email, phone, external ID, fbp or fbc`
  }
  return undefined
}
