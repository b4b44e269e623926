/**
 * Meta's per-event rules for `POST /{pixel}/events`, stated once. Meta rejects a whole request when one event
 * breaks one of them, so the destination checks the events it builds against these rules (each failure then
 * fails that event alone), and the sandbox, standing in for Meta, rejects a request with the same rules and
 * Meta's wording. Limits (events per request, name length, event_time windows) are in meta-constants.ts.
 *
 * A rule reads the server event as JSON (it may come from anyone, so nothing is assumed about its shape);
 * rules are listed in the order the sandbox checks them, and each may assume the ones before it passed.
 *
 * Longer than most files on purpose: it is one table, and a reader holds it against Meta's documentation whole.
 */
import { isRecord } from '../is-record'
import { HASHED_KEYS, isPresent, isTooBroadToMatch, presentCustomerKeys } from './customer-information'
import {
  ACTION_SOURCES,
  EXTINFO_LENGTH,
  isIsoCurrency,
  SANDBOX_MAX_FUTURE_SECONDS,
  maxEventAgeSeconds
} from './meta-constants'

/**
 * Error subcodes (all under code 100). Meta publishes no table of CAPI subcodes (meta-capi.md §10), so only
 * 2804003, 2804004, 2804010, 2804016 and 2804050 follow observed responses; the others are the sandbox's own
 * choice, picked from the same 28040xx range so clients treat them like any other non-retryable data error.
 */
export const SUBCODES = {
  INVALID_EVENT: 2804002,
  EVENT_TIME_TOO_OLD: 2804003,
  EVENT_TIME_IN_FUTURE: 2804004,
  MISSING_EVENT_NAME: 2804006,
  INVALID_EVENT_TIME: 2804008,
  PURCHASE_CURRENCY: 2804010,
  PURCHASE_VALUE: 2804011,
  INVALID_ACTION_SOURCE: 2804012,
  MISSING_USER_DATA: 2804013,
  MISSING_EVENT_SOURCE_URL: 2804015,
  NOT_HASHED: 2804016,
  MISSING_CONTENT_ID: 2804018,
  INVALID_APP_DATA: 2804020,
  MISSING_CLIENT_USER_AGENT: 2804022,
  INSUFFICIENT_CUSTOMER_INFO: 2804050
} as const

/** One broken rule: Meta's error_subcode, error_user_title and error_user_msg, and the destination's wording. */
export interface RuleFailure {
  subcode: number
  title: string
  /** Meta's error_user_msg for the event at `data[index]`. */
  metaMessage: (index: number) => string
  /** The destination's per-event error: what to change, in the mapping's terms. */
  message: string
}

export interface EventRule {
  id: string
  check: (event: Record<string, unknown>, nowSeconds: number) => RuleFailure | undefined
}

/** The JSONPath-like name Meta uses in error_user_msg, e.g. `$['data'][17]['user_data']['ct']`. */
export function paramPath(index: number, ...keys: string[]): string {
  return `$['data'][${index}]` + keys.map((key) => `['${key}']`).join('')
}

/** A failure whose Meta message is "The parameter <path> <says>". */
function parameter(subcode: number, title: string, path: string[], says: string, message: string): RuleFailure {
  return { subcode, title, metaMessage: (index) => `The parameter ${paramPath(index, ...path)} ${says}`, message }
}

// SHA-256 (or the MD5 Meta's SDKs pass through), optionally in Meta's param-builder format `<digest>.<appendix>`.
const SHA256_LOWER_HEX = /^(?:[0-9a-f]{64}|[0-9a-f]{32})(?:\.(?:AQ|Ag|Aw|BA|BQ|Bg|[\w-]{8}))?$/

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

function isHashed(value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value]
  return values.every((item) => typeof item === 'string' && SHA256_LOWER_HEX.test(item))
}

/** Meta's own examples send value as "142.52" as well as 142.52 (meta-capi.md §8), so both are numeric. */
function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())
}

function hasContentId(item: unknown): boolean {
  if (!isRecord(item)) return false
  return isNonEmptyString(item.id) || (typeof item.id === 'number' && Number.isFinite(item.id))
}

function customData(event: Record<string, unknown>): Record<string, unknown> {
  return isRecord(event.custom_data) ? event.custom_data : {}
}

function userData(event: Record<string, unknown>): Record<string, unknown> {
  return isRecord(event.user_data) ? event.user_data : {}
}

const eventName: EventRule = {
  id: 'event-name',
  check: (event) =>
    isNonEmptyString(event.event_name)
      ? undefined
      : parameter(
          SUBCODES.MISSING_EVENT_NAME,
          'Missing Event Name',
          ['event_name'],
          'is required and must be a non-empty string.',
          'event_name is empty'
        )
}

// ISO-8601 extended date-time with seconds and a zone (Z, ±hh:mm, ±hhmm), optional fraction: the timestamps
// Segment sends as event_time, which Meta converts (segmentio/action-destinations PR #588). Date-only and zone-less
// forms are refused: nothing shows Meta accepts them, and their instant depends on a time zone nobody stated.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/

/** Unix seconds of an ISO-8601 date-time with a zone, or undefined; a calendar date that does not exist is refused. */
function isoDateTimeSeconds(text: string): number | undefined {
  const parts = ISO_DATE_TIME.exec(text)
  if (!parts) return undefined
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number)
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  // Date.UTC rolls 2026-02-30 over to March 2 and 24:00 to the next day; Meta refuses dates that do not exist.
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) return undefined
  if (utc.getUTCHours() !== hour || utc.getUTCMinutes() !== minute || second > 59) return undefined
  const zone = parts[7]
  const [zoneHours, zoneMinutes] = zone === 'Z' ? [0, 0] : [Number(zone.slice(1, 3)), Number(zone.slice(-2))]
  if (zoneHours > 23 || zoneMinutes > 59) return undefined
  const offsetMinutes = (zone[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes)
  // The fraction is dropped, as Meta keeps whole seconds.
  return Math.floor(utc.getTime() / 1000) - offsetMinutes * 60
}

/**
 * The event_time Meta reads, in Unix seconds: a positive integer as sent, or an ISO-8601 date-time string converted
 * (Meta's documentation asks for integers; Segment's destination sends ISO strings and Meta accepts them). Anything
 * else is undefined, which Meta refuses.
 */
export function eventTimeSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined
  return typeof value === 'string' ? isoDateTimeSeconds(value) : undefined
}

const eventTimeValid: EventRule = {
  id: 'event-time-valid',
  check: ({ event_time: time }) =>
    eventTimeSeconds(time) !== undefined
      ? undefined
      : parameter(
          SUBCODES.INVALID_EVENT_TIME,
          'Invalid Event Time',
          ['event_time'],
          'is required and must be an integer Unix timestamp in seconds.',
          'event_time is not a valid date or Unix timestamp'
        )
}

const eventTimeNotTooOld: EventRule = {
  id: 'event-time-not-too-old',
  check: (event, nowSeconds) => {
    // Offline (physical_store) conversions may be uploaded later than online ones (meta-capi.md §0).
    const maxAge = maxEventAgeSeconds(event.action_source as string)
    if ((eventTimeSeconds(event.event_time) as number) >= nowSeconds - maxAge) return undefined
    const days = maxAge / 86400
    return {
      subcode: SUBCODES.EVENT_TIME_TOO_OLD,
      title: 'Event Timestamp Too Old',
      metaMessage: (index) =>
        `The timestamp for this event is too far in the past. The parameter ${paramPath(index, 'event_time')} ` +
        `must be within the last ${days} days.`,
      message: `event_time is older than the ${days} days Meta accepts for ${String(event.action_source)} events`
    }
  }
}

const eventTimeNotInFuture: EventRule = {
  id: 'event-time-not-in-future',
  check: (event, nowSeconds) =>
    (eventTimeSeconds(event.event_time) as number) <= nowSeconds + SANDBOX_MAX_FUTURE_SECONDS
      ? undefined
      : parameter(
          SUBCODES.EVENT_TIME_IN_FUTURE,
          'Event Timestamp Too Far In The Future',
          ['event_time'],
          `is more than ${SANDBOX_MAX_FUTURE_SECONDS / 60} minutes in the future.`,
          `event_time is more than ${SANDBOX_MAX_FUTURE_SECONDS / 60} minutes in the future`
        )
}

const actionSource: EventRule = {
  id: 'action-source',
  check: ({ action_source: source }) =>
    (ACTION_SOURCES as readonly unknown[]).includes(source)
      ? undefined
      : parameter(
          SUBCODES.INVALID_ACTION_SOURCE,
          source === undefined ? 'Missing Action Source' : 'Invalid Action Source',
          ['action_source'],
          `is required and must be one of: ${ACTION_SOURCES.join(', ')}.`,
          `action_source must be one of ${ACTION_SOURCES.join(', ')}`
        )
}

const userDataObject: EventRule = {
  id: 'user-data-object',
  check: (event) =>
    isRecord(event.user_data)
      ? undefined
      : parameter(
          SUBCODES.MISSING_USER_DATA,
          'Missing User Data',
          ['user_data'],
          'is required and must be an object.',
          'user_data is missing'
        )
}

const hashedKeys: EventRule = {
  id: 'hashed-keys',
  check: (event) => {
    const data = userData(event)
    const unhashed = HASHED_KEYS.find((key) => isPresent(data[key]) && !isHashed(data[key]))
    // Name the key only: echoing the value would leak the very PII that should have been hashed.
    return unhashed === undefined
      ? undefined
      : parameter(
          SUBCODES.NOT_HASHED,
          'Customer Information Parameter Not Hashed',
          ['user_data', unhashed],
          "isn't hashed. It must be a lowercase hex SHA-256 of the normalized value.",
          `user_data.${unhashed} is not a SHA-256 hash`
        )
  }
}

const websiteEventSourceUrl: EventRule = {
  id: 'website-event-source-url',
  check: (event) =>
    event.action_source !== 'website' || isNonEmptyString(event.event_source_url)
      ? undefined
      : parameter(
          SUBCODES.MISSING_EVENT_SOURCE_URL,
          'Missing Event Source URL',
          ['event_source_url'],
          'is required for website events.',
          'website events need the page URL (event_source_url)'
        )
}

const websiteClientUserAgent: EventRule = {
  id: 'website-client-user-agent',
  check: (event) =>
    event.action_source !== 'website' || isNonEmptyString(userData(event).client_user_agent)
      ? undefined
      : parameter(
          SUBCODES.MISSING_CLIENT_USER_AGENT,
          'Missing Client User Agent',
          ['user_data', 'client_user_agent'],
          'is required for website events.',
          'website events need the client user agent (client_user_agent)'
        )
}

const purchaseCurrency: EventRule = {
  id: 'purchase-currency',
  check: (event) => {
    if (event.event_name !== 'Purchase') return undefined
    const currency = customData(event).currency
    if (typeof currency === 'string' && isIsoCurrency(currency)) return undefined
    const missing = !isPresent(currency)
    return parameter(
      SUBCODES.PURCHASE_CURRENCY,
      missing ? 'Missing Currency for Purchase Event' : 'Invalid Currency Code',
      ['custom_data', 'currency'],
      missing ? 'is required for Purchase events.' : 'must be an ISO-4217 three-letter currency code.',
      missing
        ? 'Purchase events need a currency (or set a default currency)'
        : 'Purchase events need an ISO-4217 currency code'
    )
  }
}

const purchaseValue: EventRule = {
  id: 'purchase-value',
  check: (event) =>
    event.event_name !== 'Purchase' || isNumeric(customData(event).value)
      ? undefined
      : parameter(
          SUBCODES.PURCHASE_VALUE,
          'Missing Value for Purchase Event',
          ['custom_data', 'value'],
          'is required for Purchase events and must be a number.',
          'Purchase events need a numeric value'
        )
}

const contentIds: EventRule = {
  id: 'content-ids',
  check: (event) => {
    const contents = customData(event).contents
    if (contents === undefined) return undefined
    if (!Array.isArray(contents)) {
      return parameter(
        SUBCODES.MISSING_CONTENT_ID,
        'Invalid Contents',
        ['custom_data', 'contents'],
        'must be an array of objects with an id.',
        'contents must be an array of items with an id'
      )
    }
    const bad = contents.findIndex((item) => !hasContentId(item))
    if (bad === -1) return undefined
    return {
      subcode: SUBCODES.MISSING_CONTENT_ID,
      title: 'Missing Content ID',
      metaMessage: (index) => `The parameter ${paramPath(index, 'custom_data', 'contents')}[${bad}]['id'] is required.`,
      message: `contents[${bad}] has no id; Meta requires an id (product ID or SKU) on every item`
    }
  }
}

const appData: EventRule = {
  id: 'app-data',
  check: (event) => {
    if (event.action_source !== 'app') return undefined
    const data = event.app_data
    if (!isRecord(data)) {
      return parameter(
        SUBCODES.INVALID_APP_DATA,
        'Missing App Data',
        ['app_data'],
        'is required for app events.',
        'app events need app_data'
      )
    }
    if (![0, 1, true, false].includes(data.advertiser_tracking_enabled as number | boolean)) {
      return parameter(
        SUBCODES.INVALID_APP_DATA,
        'Missing Advertiser Tracking Enabled',
        ['app_data', 'advertiser_tracking_enabled'],
        'is required for app events (0 or 1).',
        'app events need advertiser_tracking_enabled (the device ad-tracking permission)'
      )
    }
    if (Array.isArray(data.extinfo) && data.extinfo.length === EXTINFO_LENGTH) return undefined
    return parameter(
      SUBCODES.INVALID_APP_DATA,
      'Invalid Extended Device Information',
      ['app_data', 'extinfo'],
      `is required for app events and must have exactly ${EXTINFO_LENGTH} elements.`,
      `app events need an extinfo of exactly ${EXTINFO_LENGTH} elements`
    )
  }
}

const sufficientCustomerInformation: EventRule = {
  id: 'sufficient-customer-information',
  check: (event) => {
    const keys = presentCustomerKeys(event.user_data)
    if (!isTooBroadToMatch(keys)) return undefined
    return parameter(
      SUBCODES.INSUFFICIENT_CUSTOMER_INFO,
      'Insufficient Customer Information',
      ['user_data'],
      'has insufficient customer information: the event has no customer information parameters, or a ' +
        'combination so broad that it cannot be matched. Add em, ph, external_id, fbp, fbc or client_ip_address.',
      keys.length === 0
        ? 'no customer information: map at least an email, phone, external ID, IP address with user agent, fbp or fbc'
        : `customer information too broad for Meta to match (only ${keys.join(', ')}); add an email, phone, external ID, fbp or fbc`
    )
  }
}

/** Every rule, in the order the sandbox checks them. */
export const EVENT_RULES: readonly EventRule[] = [
  eventName,
  eventTimeValid,
  eventTimeNotTooOld,
  eventTimeNotInFuture,
  actionSource,
  userDataObject,
  hashedKeys,
  websiteEventSourceUrl,
  websiteClientUserAgent,
  purchaseCurrency,
  purchaseValue,
  contentIds,
  appData,
  sufficientCustomerInformation
]

/** The first rule of `rules` the event breaks, or undefined when Meta would accept it on those rules. */
export function firstBrokenRule(
  event: Record<string, unknown>,
  nowSeconds: number,
  rules: readonly EventRule[] = EVENT_RULES
): RuleFailure | undefined {
  for (const rule of rules) {
    const failure = rule.check(event, nowSeconds)
    if (failure) return failure
  }
  return undefined
}

/** The rules with these ids, in the order given; throws on an id that is not in the table (a typo in code). */
export function eventRules(ids: readonly string[]): EventRule[] {
  return ids.map((id) => {
    const rule = EVENT_RULES.find((candidate) => candidate.id === id)
    if (!rule) throw new Error(`No event rule "${id}" in EVENT_RULES`)
    return rule
  })
}
