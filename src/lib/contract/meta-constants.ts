/** Facts about Meta's Conversions API that the destination, its validation and the sandbox share: names and limits. */

export const STANDARD_EVENTS = [
  'AddPaymentInfo',
  'AddToCart',
  'AddToWishlist',
  'CompleteRegistration',
  'Contact',
  'CustomizeProduct',
  'Donate',
  'FindLocation',
  'InitiateCheckout',
  'Lead',
  'PageView',
  'Purchase',
  'Schedule',
  'Search',
  'StartTrial',
  'SubmitApplication',
  'Subscribe',
  'ViewContent'
] as const

// In the order Meta's documentation lists them.
export const ACTION_SOURCES = [
  'email',
  'website',
  'app',
  'phone_call',
  'chat',
  'physical_store',
  'system_generated',
  'business_messaging',
  'other'
] as const
export type ActionSource = (typeof ACTION_SOURCES)[number]

// Node's ICU carries the ISO-4217 list, so no table of our own can fall out of date.
const ISO_4217 = new Set(Intl.supportedValuesOf?.('currency') ?? [])

/** An ISO-4217 code in any case; on a runtime without ICU currency data, any three letters. */
export function isIsoCurrency(code: string): boolean {
  if (!/^[A-Za-z]{3}$/.test(code)) return false
  return ISO_4217.size === 0 || ISO_4217.has(code.toUpperCase())
}

export const DELIVERY_CATEGORIES = ['in_store', 'curbside', 'home_delivery'] as const
export const CONTENT_TYPES = ['product', 'product_group'] as const

export const MAX_EVENTS_PER_REQUEST = 1000
export const MAX_CUSTOM_EVENT_NAME_LENGTH = 50

export const EXTINFO_LENGTH = 16

const DAY_SECONDS = 24 * 60 * 60
/** Meta rejects a whole request when any event in it is older than this. */
export function maxEventAgeSeconds(actionSource: string | undefined): number {
  return (actionSource === 'physical_store' ? 62 : 7) * DAY_SECONDS
}

/*
 * Future event_time: Meta documents no limit, but rejects events from clocks running ahead (meta-capi.md §5, "not
 * documented"). The two numbers below are one decision seen from both sides:
 * - the sandbox, standing in for Meta, rejects an event_time more than SANDBOX_MAX_FUTURE_SECONDS ahead (a
 *   tolerant guess at Meta's undocumented limit, so a destination that never sends the future passes);
 * - the destination clamps anything more than CLAMP_FUTURE_AFTER_SECONDS ahead to now (the conversion did happen;
 *   only the client's clock is wrong), as RudderStack and n8n do with their one-minute check.
 * The clamp must sit well inside the sandbox's limit: whatever the destination sends, the sandbox accepts, even
 * when the request reaches it some minutes after the event was built.
 */
export const CLAMP_FUTURE_AFTER_SECONDS = 60
export const SANDBOX_MAX_FUTURE_SECONDS = 10 * 60

/** Limited Data Use country codes Meta accepts. */
export const LDU_COUNTRIES = [
  { value: 0, label: 'Geolocate (0)' },
  { value: 1, label: 'United States (1)' }
] as const

/** Limited Data Use state codes Meta accepts (0 = let Meta geolocate). */
export const LDU_STATES = [
  { value: 0, label: 'Geolocate (0)' },
  { value: 1000, label: 'California (1000)' },
  { value: 1001, label: 'Colorado (1001)' },
  { value: 1002, label: 'Connecticut (1002)' },
  { value: 1003, label: 'Florida (1003)' },
  { value: 1004, label: 'Oregon (1004)' },
  { value: 1005, label: 'Texas (1005)' },
  { value: 1006, label: 'Montana (1006)' },
  { value: 1007, label: 'Delaware (1007)' },
  { value: 1008, label: 'Nebraska (1008)' },
  { value: 1009, label: 'New Hampshire (1009)' },
  { value: 1010, label: 'New Jersey (1010)' },
  { value: 1011, label: 'Minnesota (1011)' },
  { value: 1012, label: 'Maryland (1012)' },
  { value: 1013, label: 'Rhode Island (1013)' }
] as const
