/** Facts about Meta's Conversions API that the destination, its validation and the sandbox share. */

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

export const DELIVERY_CATEGORIES = ['in_store', 'curbside', 'home_delivery'] as const
export const CONTENT_TYPES = ['product', 'product_group'] as const

export const MAX_EVENTS_PER_REQUEST = 1000
export const MAX_CUSTOM_EVENT_NAME_LENGTH = 50

const DAY_SECONDS = 24 * 60 * 60
/** Meta rejects a whole request when any event in it is older than this. */
export function maxEventAgeSeconds(actionSource: string | undefined): number {
  return (actionSource === 'physical_store' ? 62 : 7) * DAY_SECONDS
}
/** Client clocks run ahead; Meta rejects future events, so we clamp anything beyond this tolerance to now. */
export const FUTURE_TOLERANCE_SECONDS = 60

/**
 * Meta's baseline matching rule (since v13): an event whose customer-information keys are only a subset
 * of one of these sets cannot be matched and is rejected (code 100, subcode 2804050).
 */
export const INSUFFICIENT_KEY_SETS: readonly (readonly string[])[] = [
  ['ct', 'country', 'st', 'zp', 'ge', 'client_user_agent'],
  ['db', 'client_user_agent'],
  ['fn', 'ge'],
  ['ln', 'ge']
]

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
