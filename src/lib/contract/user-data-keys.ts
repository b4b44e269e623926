/**
 * The user_data contract, stated once: every customer-information key Meta's Conversions API takes, with the
 * label Events Manager and Meta's customer-information parameters page give it (the mapping fields and the sandbox's
 * Test Events page both show it), whether Meta requires it hashed, the mapping field that fills it and the
 * normaliser that prepares it. The mapping fields, the user-data types and the sandbox's key lists derive from
 * this table (meta-capi.md §4–§5).
 */
import { browserId, clickId } from '../user-data/click-ids'
import { normaliseCity } from '../user-data/city'
import { normaliseCountry } from '../user-data/country'
import { normaliseDateOfBirth } from '../user-data/date-of-birth'
import { normaliseEmail } from '../user-data/email'
import { normaliseExternalId } from '../user-data/external-id'
import { normaliseGender } from '../user-data/gender'
import { normaliseName } from '../user-data/name'
import type { Normalised } from '../user-data/normalised'
import { normalisePhone } from '../user-data/phone'
import { normaliseState } from '../user-data/state'
import { ipAddress, passThrough } from '../user-data/unhashed'
import type { PassedThrough } from '../user-data/unhashed'
import { normaliseZip } from '../user-data/zip'

/** What a normaliser may know beyond the value: the same event's country and the destination's settings. */
export interface NormaliseContext {
  /** Lowercase ISO alpha-2 of the event's own (first valid) country. */
  country?: string
  defaultCountryCallingCode?: string
}

export interface HashedKeySpec {
  key: string
  label: string
  hashed: true
  /** The mapping field (under user_data) that fills the key; absent for keys the destination never fills. */
  input?: string
  normalise?: (raw: unknown, context: NormaliseContext) => Normalised
  /** Contact keys pass a 32-hex MD5 through as Meta's SDKs do. */
  md5PassesThrough?: boolean
}

export interface UnhashedKeySpec {
  key: string
  label: string
  hashed: false
  input: string
  pass: (raw: unknown) => PassedThrough
  /** Meta types it as an integer, so a number stays a number. */
  numeric?: boolean
}

const numericId = (raw: unknown) => passThrough(raw, { keepNumbers: true })
const asGiven = (raw: unknown) => passThrough(raw)

/** In Meta's documented order, which is also the order of the keys in the events the destination sends. */
export const USER_DATA_KEYS = [
  { key: 'em', label: 'Email', hashed: true, input: 'email', normalise: normaliseEmail, md5PassesThrough: true },
  { key: 'ph', label: 'Phone Number', hashed: true, input: 'phone', normalise: normalisePhone, md5PassesThrough: true },
  {
    key: 'fn',
    label: 'First Name',
    hashed: true,
    input: 'first_name',
    normalise: normaliseName,
    md5PassesThrough: true
  },
  { key: 'ln', label: 'Last Name', hashed: true, input: 'last_name', normalise: normaliseName, md5PassesThrough: true },
  { key: 'ge', label: 'Gender', hashed: true, input: 'gender', normalise: normaliseGender, md5PassesThrough: true },
  {
    key: 'db',
    label: 'Date of Birth',
    hashed: true,
    input: 'date_of_birth',
    normalise: normaliseDateOfBirth,
    md5PassesThrough: true
  },
  { key: 'ct', label: 'City', hashed: true, input: 'city', normalise: normaliseCity, md5PassesThrough: true },
  { key: 'st', label: 'State', hashed: true, input: 'state', normalise: normaliseState, md5PassesThrough: true },
  { key: 'zp', label: 'Zip Code', hashed: true, input: 'zip', normalise: normaliseZip, md5PassesThrough: true },
  {
    key: 'country',
    label: 'Country',
    hashed: true,
    input: 'country',
    normalise: normaliseCountry,
    md5PassesThrough: true
  },
  { key: 'external_id', label: 'External ID', hashed: true, input: 'external_id', normalise: normaliseExternalId },
  // Partial name and birth-date keys: Meta takes them hashed; the destination has no mapping field for them.
  { key: 'f5first', label: 'First Name (first 5 letters)', hashed: true },
  { key: 'f5last', label: 'Last Name (first 5 letters)', hashed: true },
  { key: 'fi', label: 'First Initial', hashed: true },
  { key: 'dobd', label: 'Day of Birth', hashed: true },
  { key: 'dobm', label: 'Month of Birth', hashed: true },
  { key: 'doby', label: 'Year of Birth', hashed: true },
  { key: 'client_ip_address', label: 'Client IP Address', hashed: false, input: 'client_ip_address', pass: ipAddress },
  { key: 'client_user_agent', label: 'Client User Agent', hashed: false, input: 'client_user_agent', pass: asGiven },
  { key: 'fbc', label: 'Click ID (fbc)', hashed: false, input: 'fbc', pass: clickId },
  { key: 'fbp', label: 'Browser ID (fbp)', hashed: false, input: 'fbp', pass: browserId },
  { key: 'subscription_id', label: 'Subscription ID', hashed: false, input: 'subscription_id', pass: asGiven },
  {
    key: 'fb_login_id',
    label: 'Facebook Login ID',
    hashed: false,
    input: 'fb_login_id',
    pass: numericId,
    numeric: true
  },
  { key: 'lead_id', label: 'Lead ID', hashed: false, input: 'lead_id', pass: numericId, numeric: true },
  { key: 'anon_id', label: 'Install ID', hashed: false, input: 'anon_id', pass: asGiven },
  { key: 'madid', label: 'Mobile Advertiser ID', hashed: false, input: 'madid', pass: asGiven },
  { key: 'page_id', label: 'Page ID', hashed: false, input: 'page_id', pass: asGiven },
  {
    key: 'page_scoped_user_id',
    label: 'Page-Scoped User ID',
    hashed: false,
    input: 'page_scoped_user_id',
    pass: asGiven
  },
  { key: 'ctwa_clid', label: 'Click-to-WhatsApp Click ID', hashed: false, input: 'ctwa_clid', pass: asGiven },
  { key: 'ig_account_id', label: 'Instagram Account ID', hashed: false, input: 'ig_account_id', pass: asGiven },
  { key: 'ig_sid', label: 'Instagram-Scoped User ID', hashed: false, input: 'ig_sid', pass: asGiven }
] as const satisfies readonly (HashedKeySpec | UnhashedKeySpec)[]

type Entry = (typeof USER_DATA_KEYS)[number]
type FilledEntry = Extract<Entry, { input: string }>

/** A key the destination fills from a mapping field. */
export type FilledKeySpec = FilledEntry
/** Meta's name of every key the destination fills. */
export type FilledKey = FilledEntry['key']
export type HashedKey = Extract<FilledEntry, { hashed: true }>['key']
export type UnhashedKey = Extract<FilledEntry, { hashed: false }>['key']

/** Customer information as the mapping's user_data fields name it. */
export type UserDataInput = { [E in FilledEntry as E['input']]?: unknown }

/** Meta's user_data as the destination sends it: hashed keys are arrays of digests, de-duplicated, in input order. */
export type CapiUserData = {
  [E in FilledEntry as E['key']]?: E extends { hashed: true }
    ? string[]
    : E extends { numeric: true }
      ? string | number
      : string
}

/** Keys the destination fills, in the order it sends them. */
export const FILLED_KEYS: readonly FilledKeySpec[] = USER_DATA_KEYS.filter(
  (entry): entry is FilledEntry => 'input' in entry
)

/** Every key Meta only accepts hashed, whether the destination fills it or not. */
export const ALL_HASHED_KEYS: readonly string[] = USER_DATA_KEYS.filter((entry) => entry.hashed).map(
  (entry) => entry.key
)

/** Every customer-information key Meta recognises, in the table's order. */
export const ALL_USER_DATA_KEYS: readonly string[] = USER_DATA_KEYS.map((entry) => entry.key)

/** Events Manager's label of a key ("Phone Number" for ph), or the key itself when the table lacks it. */
export function userDataLabel(key: string): string {
  return USER_DATA_KEYS.find((entry) => entry.key === key)?.label ?? key
}
