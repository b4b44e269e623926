import { normaliseCity } from './city'
import { normaliseCountry } from './country'
import { normaliseDateOfBirth } from './date-of-birth'
import { normaliseEmail } from './email'
import { normaliseExternalId } from './external-id'
import { normaliseGender } from './gender'
import { hashNormalised } from './hash'
import { normaliseName } from './name'
import { isKept, Normalised } from './normalised'
import { normalisePhone } from './phone'
import { normaliseState } from './state'
import { ipAddress, passThrough } from './unhashed'
import { normaliseZip } from './zip'
import { isRecord } from '../is-record'

export { normaliseCity } from './city'
export { normaliseCountry } from './country'
export { normaliseDateOfBirth } from './date-of-birth'
export { normaliseEmail } from './email'
export { normaliseExternalId } from './external-id'
export { normaliseGender } from './gender'
export { hashNormalised } from './hash'
export type { Normaliser } from './hash'
export { normaliseName } from './name'
export type { Normalised } from './normalised'
export { normalisePhone } from './phone'
export type { PhoneOptions } from './phone'
export { normaliseState } from './state'
export { normaliseZip } from './zip'
export { isSha256Hex, sha256 } from './sha256'
export { buildFbc, fbclidFromUrl, fbcFromUrl } from './fbc'

/** Keys as the destination's mapping fields name them. */
export interface UserDataInput {
  email?: unknown
  phone?: unknown
  first_name?: unknown
  last_name?: unknown
  date_of_birth?: unknown
  gender?: unknown
  city?: unknown
  state?: unknown
  zip?: unknown
  country?: unknown
  /** string | string[]: several IDs are allowed. */
  external_id?: unknown
  client_ip_address?: unknown
  client_user_agent?: unknown
  fbc?: unknown
  fbp?: unknown
  subscription_id?: unknown
  fb_login_id?: unknown
  lead_id?: unknown
  anon_id?: unknown
  madid?: unknown
  page_id?: unknown
  page_scoped_user_id?: unknown
  ctwa_clid?: unknown
  ig_account_id?: unknown
  ig_sid?: unknown
}

export interface UserDataOptions {
  defaultCountryCallingCode?: string
}

/** Meta's keys; hashed keys are arrays of 64-hex strings, de-duplicated, in input order. */
export interface CapiUserData {
  em?: string[]
  ph?: string[]
  fn?: string[]
  ln?: string[]
  ge?: string[]
  db?: string[]
  ct?: string[]
  st?: string[]
  zp?: string[]
  country?: string[]
  external_id?: string[]
  client_ip_address?: string
  client_user_agent?: string
  fbc?: string
  fbp?: string
  subscription_id?: string
  fb_login_id?: string | number
  lead_id?: string | number
  anon_id?: string
  madid?: string
  page_id?: string
  page_scoped_user_id?: string
  ctwa_clid?: string
  ig_account_id?: string
  ig_sid?: string
}

/** key is Meta's key (em, ph…); reason never contains the raw value. */
export interface DroppedValue {
  key: string
  reason: string
}

type HashedKey = 'em' | 'ph' | 'fn' | 'ln' | 'ge' | 'db' | 'ct' | 'st' | 'zp' | 'country' | 'external_id'
type UnhashedKey = Exclude<keyof CapiUserData, HashedKey>

interface HashedField {
  key: HashedKey
  input: keyof UserDataInput
  normalise: (raw: unknown, options: UserDataOptions) => Normalised
}

// In Meta's documented order, which is also the order of the output keys.
const HASHED_FIELDS: readonly HashedField[] = [
  { key: 'em', input: 'email', normalise: normaliseEmail },
  { key: 'ph', input: 'phone', normalise: normalisePhone },
  { key: 'fn', input: 'first_name', normalise: normaliseName },
  { key: 'ln', input: 'last_name', normalise: normaliseName },
  { key: 'ge', input: 'gender', normalise: normaliseGender },
  { key: 'db', input: 'date_of_birth', normalise: normaliseDateOfBirth },
  { key: 'ct', input: 'city', normalise: normaliseCity },
  { key: 'st', input: 'state', normalise: normaliseState },
  { key: 'zp', input: 'zip', normalise: normaliseZip },
  { key: 'country', input: 'country', normalise: normaliseCountry },
  { key: 'external_id', input: 'external_id', normalise: normaliseExternalId }
]

/** Keys Meta takes as they are: never hashed, never case-changed. */
export const UNHASHED_KEYS: readonly UnhashedKey[] = [
  'client_ip_address',
  'client_user_agent',
  'fbc',
  'fbp',
  'subscription_id',
  'fb_login_id',
  'lead_id',
  'anon_id',
  'madid',
  'page_id',
  'page_scoped_user_id',
  'ctwa_clid',
  'ig_account_id',
  'ig_sid'
]
const NUMERIC_IDS: ReadonlySet<UnhashedKey> = new Set(['fb_login_id', 'lead_id'])

export const HASHED_KEYS: readonly string[] = Object.freeze(HASHED_FIELDS.map((field) => field.key))

/**
 * Meta's user_data from mapped customer information: contact fields normalised and SHA-256 hashed, identifiers
 * passed through untouched. Whatever cannot be sent is left out and reported in `dropped`; this never throws.
 */
export function buildUserData(
  input: UserDataInput,
  options: UserDataOptions = {}
): { userData: CapiUserData; dropped: DroppedValue[] } {
  const source: Partial<Record<keyof UserDataInput, unknown>> = isRecord(input) ? input : {}
  const settings = isRecord(options) ? options : {}
  const userData: Record<string, string[] | string | number> = {}
  const dropped: DroppedValue[] = []

  for (const field of HASHED_FIELDS) {
    const hashes = hashAll(field, source[field.input], settings, dropped)
    if (hashes.length > 0) userData[field.key] = hashes
  }

  for (const key of UNHASHED_KEYS) {
    const result =
      key === 'client_ip_address'
        ? ipAddress(source[key])
        : passThrough(source[key], { keepNumbers: NUMERIC_IDS.has(key) })
    if ('value' in result) userData[key] = result.value
    else if ('dropped' in result) dropped.push({ key, reason: result.dropped })
  }

  return { userData: userData as CapiUserData, dropped }
}

/** The de-duplicated hashes of a hashed key's values; each value that cannot be sent is reported in `dropped`. */
function hashAll(field: HashedField, raw: unknown, options: UserDataOptions, dropped: DroppedValue[]): string[] {
  const hashes: string[] = []
  for (const value of valuesOf(raw)) {
    const result = hashNormalised(value, (raw) => field.normalise(raw, options))
    if (isKept(result)) hashes.push(result.value)
    else dropped.push({ key: field.key, reason: result.dropped })
  }
  return unique(hashes)
}

/** Multi-valued keys take a single value or an array; undefined and null mean "no value", not a bad value. */
function valuesOf(raw: unknown): unknown[] {
  const values = Array.isArray(raw) ? raw : [raw]
  return values.filter((value) => value !== undefined && value !== null)
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
