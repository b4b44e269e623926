import { isRecord } from '../lib/is-record'
import { HASHED_KEYS, isPresent, presentCustomerKeys } from './customer-keys'
import { ACTION_SOURCES, maxEventAgeSeconds } from '../lib/capi-event/meta-constants'
import { isTooBroadToMatch } from '../lib/capi-event/rules'
import type { RuleViolation } from './errors'

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

export const MAX_FUTURE_SECONDS = 10 * 60
export const EXTINFO_LENGTH = 16

// SHA-256 (or the MD5 Meta's SDKs pass through), optionally in Meta's param-builder format `<digest>.<appendix>`.
const SHA256_LOWER_HEX = /^(?:[0-9a-f]{64}|[0-9a-f]{32})(?:\.(?:AQ|Ag|Aw|BA|BQ|Bg|[\w-]{8}))?$/

interface RuleContext {
  event: Record<string, unknown>
  index: number
  nowSeconds: number
}

type Rule = (ctx: RuleContext) => RuleViolation | undefined

/** The JSONPath-like name Meta uses in error_user_msg, e.g. `$['data'][17]['user_data']['ct']`. */
export function paramPath(index: number, ...keys: string[]): string {
  return `$['data'][${index}]` + keys.map((key) => `['${key}']`).join('')
}

function violation(subcode: number, title: string, message: string): RuleViolation {
  return { subcode, title, message }
}

const requireEventName: Rule = ({ event, index }) => {
  const name = event.event_name
  if (typeof name === 'string' && name.trim() !== '') return undefined
  return violation(
    SUBCODES.MISSING_EVENT_NAME,
    'Missing Event Name',
    `The parameter ${paramPath(index, 'event_name')} is required and must be a non-empty string.`
  )
}

const requireIntegerEventTime: Rule = ({ event, index }) => {
  const time = event.event_time
  if (typeof time === 'number' && Number.isInteger(time) && time > 0) return undefined
  return violation(
    SUBCODES.INVALID_EVENT_TIME,
    'Invalid Event Time',
    `The parameter ${paramPath(index, 'event_time')} is required and must be an integer Unix timestamp in seconds.`
  )
}

const rejectTooOldEventTime: Rule = ({ event, index, nowSeconds }) => {
  // Offline (physical_store) conversions may be uploaded later than online ones (meta-capi.md §0).
  const maxAgeSeconds = maxEventAgeSeconds(event.action_source as string)
  if ((event.event_time as number) >= nowSeconds - maxAgeSeconds) return undefined
  return violation(
    SUBCODES.EVENT_TIME_TOO_OLD,
    'Event Timestamp Too Old',
    `The timestamp for this event is too far in the past. The parameter ${paramPath(index, 'event_time')} ` +
      `must be within the last ${maxAgeSeconds / 86400} days.`
  )
}

const rejectFutureEventTime: Rule = ({ event, index, nowSeconds }) => {
  if ((event.event_time as number) <= nowSeconds + MAX_FUTURE_SECONDS) return undefined
  return violation(
    SUBCODES.EVENT_TIME_IN_FUTURE,
    'Event Timestamp Too Far In The Future',
    `The parameter ${paramPath(index, 'event_time')} is more than ${MAX_FUTURE_SECONDS / 60} minutes in the future.`
  )
}

const requireActionSource: Rule = ({ event, index }) => {
  const source = event.action_source
  if ((ACTION_SOURCES as readonly unknown[]).includes(source)) return undefined
  const title = source === undefined ? 'Missing Action Source' : 'Invalid Action Source'
  return violation(
    SUBCODES.INVALID_ACTION_SOURCE,
    title,
    `The parameter ${paramPath(index, 'action_source')} is required and must be one of: ${ACTION_SOURCES.join(', ')}.`
  )
}

const requireUserData: Rule = ({ event, index }) => {
  if (isRecord(event.user_data)) return undefined
  return violation(
    SUBCODES.MISSING_USER_DATA,
    'Missing User Data',
    `The parameter ${paramPath(index, 'user_data')} is required and must be an object.`
  )
}

function isHashed(value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value]
  return values.every((item) => typeof item === 'string' && SHA256_LOWER_HEX.test(item))
}

const requireHashedKeys: Rule = ({ event, index }) => {
  const userData = event.user_data as Record<string, unknown>
  const unhashed = HASHED_KEYS.find((key) => isPresent(userData[key]) && !isHashed(userData[key]))
  if (unhashed === undefined) return undefined
  // Name the key only: echoing the value would leak the very PII that should have been hashed.
  return violation(
    SUBCODES.NOT_HASHED,
    'Customer Information Parameter Not Hashed',
    `The parameter ${paramPath(index, 'user_data', unhashed)} isn't hashed. ` +
      'It must be a lowercase hex SHA-256 of the normalized value.'
  )
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

const requireWebsiteFields: Rule = ({ event, index }) => {
  if (event.action_source !== 'website') return undefined
  if (!isNonEmptyString(event.event_source_url)) {
    return violation(
      SUBCODES.MISSING_EVENT_SOURCE_URL,
      'Missing Event Source URL',
      `The parameter ${paramPath(index, 'event_source_url')} is required for website events.`
    )
  }
  const userData = event.user_data as Record<string, unknown>
  if (isNonEmptyString(userData.client_user_agent)) return undefined
  return violation(
    SUBCODES.MISSING_CLIENT_USER_AGENT,
    'Missing Client User Agent',
    `The parameter ${paramPath(index, 'user_data', 'client_user_agent')} is required for website events.`
  )
}

function customData(event: Record<string, unknown>): Record<string, unknown> {
  return isRecord(event.custom_data) ? event.custom_data : {}
}

/** ISO-4217 codes from the runtime's ICU data; falls back to the 3-letter shape on builds without it. */
function isIsoCurrency(code: string): boolean {
  if (!/^[A-Za-z]{3}$/.test(code)) return false
  const known = Intl.supportedValuesOf?.('currency') ?? []
  return known.length === 0 || known.includes(code.toUpperCase())
}

const requirePurchaseCurrency: Rule = ({ event, index }) => {
  if (event.event_name !== 'Purchase') return undefined
  const currency = customData(event).currency
  if (typeof currency === 'string' && isIsoCurrency(currency)) return undefined
  const missing = !isPresent(currency)
  return violation(
    SUBCODES.PURCHASE_CURRENCY,
    missing ? 'Missing Currency for Purchase Event' : 'Invalid Currency Code',
    `The parameter ${paramPath(index, 'custom_data', 'currency')} ` +
      (missing ? 'is required for Purchase events.' : 'must be an ISO-4217 three-letter currency code.')
  )
}

/** Meta's own examples send value as "142.52" as well as 142.52 (meta-capi.md §8), so both are numeric. */
function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())
}

const requirePurchaseValue: Rule = ({ event, index }) => {
  if (event.event_name !== 'Purchase' || isNumeric(customData(event).value)) return undefined
  return violation(
    SUBCODES.PURCHASE_VALUE,
    'Missing Value for Purchase Event',
    `The parameter ${paramPath(index, 'custom_data', 'value')} is required for Purchase events and must be a number.`
  )
}

function hasContentId(item: unknown): boolean {
  if (!isRecord(item)) return false
  return isNonEmptyString(item.id) || (typeof item.id === 'number' && Number.isFinite(item.id))
}

const requireContentIds: Rule = ({ event, index }) => {
  const contents = customData(event).contents
  if (contents === undefined) return undefined
  if (!Array.isArray(contents)) {
    return violation(
      SUBCODES.MISSING_CONTENT_ID,
      'Invalid Contents',
      `The parameter ${paramPath(index, 'custom_data', 'contents')} must be an array of objects with an id.`
    )
  }
  const bad = contents.findIndex((item) => !hasContentId(item))
  if (bad === -1) return undefined
  return violation(
    SUBCODES.MISSING_CONTENT_ID,
    'Missing Content ID',
    `The parameter ${paramPath(index, 'custom_data', 'contents')}[${bad}]['id'] is required.`
  )
}

const requireAppData: Rule = ({ event, index }) => {
  if (event.action_source !== 'app') return undefined
  const appData = event.app_data
  if (!isRecord(appData)) {
    return violation(
      SUBCODES.INVALID_APP_DATA,
      'Missing App Data',
      `The parameter ${paramPath(index, 'app_data')} is required for app events.`
    )
  }
  if (![0, 1, true, false].includes(appData.advertiser_tracking_enabled as number | boolean)) {
    return violation(
      SUBCODES.INVALID_APP_DATA,
      'Missing Advertiser Tracking Enabled',
      `The parameter ${paramPath(index, 'app_data', 'advertiser_tracking_enabled')} is required for app events (0 or 1).`
    )
  }
  const extinfo = appData.extinfo
  if (Array.isArray(extinfo) && extinfo.length === EXTINFO_LENGTH) return undefined
  return violation(
    SUBCODES.INVALID_APP_DATA,
    'Invalid Extended Device Information',
    `The parameter ${paramPath(index, 'app_data', 'extinfo')} is required for app events and must have ` +
      `exactly ${EXTINFO_LENGTH} elements.`
  )
}

const requireSufficientCustomerInfo: Rule = ({ event, index }) => {
  if (!isTooBroadToMatch(presentCustomerKeys(event.user_data))) return undefined
  return violation(
    SUBCODES.INSUFFICIENT_CUSTOMER_INFO,
    'Insufficient Customer Information',
    `The parameter ${paramPath(index, 'user_data')} has insufficient customer information: the event has no ` +
      'customer information parameters, or a combination so broad that it cannot be matched. Add em, ph, ' +
      'external_id, fbp, fbc or client_ip_address.'
  )
}

/** Checked in this order; each rule may assume the ones before it passed. */
const RULES: readonly Rule[] = [
  requireEventName,
  requireIntegerEventTime,
  rejectTooOldEventTime,
  rejectFutureEventTime,
  requireActionSource,
  requireUserData,
  requireHashedKeys,
  requireWebsiteFields,
  requirePurchaseCurrency,
  requirePurchaseValue,
  requireContentIds,
  requireAppData,
  requireSufficientCustomerInfo
]

/** Pure: the first rule the event at `data[index]` breaks, or undefined when Meta would accept it. */
export function validateEvent(event: unknown, index: number, nowMs: number): RuleViolation | undefined {
  if (!isRecord(event)) {
    return violation(SUBCODES.INVALID_EVENT, 'Invalid Event', `The parameter ${paramPath(index)} must be an object.`)
  }
  const ctx: RuleContext = { event, index, nowSeconds: Math.floor(nowMs / 1000) }
  for (const rule of RULES) {
    const found = rule(ctx)
    if (found) return found
  }
  return undefined
}
