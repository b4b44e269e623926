import { FILLED_KEYS } from '../contract/user-data-keys'
import type {
  CapiUserData,
  FilledKeySpec,
  HashedKey,
  NormaliseContext,
  UnhashedKey,
  UserDataInput
} from '../contract/user-data-keys'
import { isRecord } from '../is-record'
import { normaliseCountry } from './country'
import { hashNormalised } from './hash'
import { isKept } from './normalised'

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
export { isMd5Hex, isSha256Hex, paramBuilderValue, sha256 } from './sha256'
export { browserId, clickId } from './click-ids'
export type { ZipOptions } from './zip'
export { buildFbc, fbclidFromUrl, fbcFromUrl } from './fbc'

export type { CapiUserData, NormaliseContext, UserDataInput } from '../contract/user-data-keys'

export interface UserDataOptions {
  defaultCountryCallingCode?: string
}

/** key is Meta's key (em, ph…); reason never contains the raw value. */
export interface DroppedValue {
  key: string
  reason: string
}

const HASHED_FIELDS = FILLED_KEYS.filter((spec): spec is Extract<FilledKeySpec, { hashed: true }> => spec.hashed)
const UNHASHED_FIELDS = FILLED_KEYS.filter((spec): spec is Extract<FilledKeySpec, { hashed: false }> => !spec.hashed)

/** Meta's keys the destination hashes, in Meta's documented order. */
export const HASHED_KEYS: readonly HashedKey[] = Object.freeze(HASHED_FIELDS.map((spec) => spec.key))

/** Keys Meta takes as they are: never hashed, never case-changed. */
export const UNHASHED_KEYS: readonly UnhashedKey[] = Object.freeze(UNHASHED_FIELDS.map((spec) => spec.key))

/**
 * Meta's user_data from mapped customer information: contact fields normalised and SHA-256 hashed, identifiers
 * passed through untouched. Whatever cannot be sent is left out and reported in `dropped`; this never throws.
 */
export function buildUserData(
  input: UserDataInput,
  options: UserDataOptions = {}
): { userData: CapiUserData; dropped: DroppedValue[] } {
  const source: Record<string, unknown> = isRecord(input) ? input : {}
  const settings = isRecord(options) ? options : {}
  const context: NormaliseContext = {
    country: countryOf(source.country),
    defaultCountryCallingCode:
      typeof settings.defaultCountryCallingCode === 'string' ? settings.defaultCountryCallingCode : undefined
  }
  const userData: Record<string, string[] | string | number> = {}
  const dropped: DroppedValue[] = []

  for (const spec of HASHED_FIELDS) {
    const hashes = hashAll(spec, source[spec.input], context, dropped)
    if (hashes.length > 0) userData[spec.key] = hashes
  }

  for (const spec of UNHASHED_FIELDS) {
    const result = spec.pass(source[spec.input])
    if ('value' in result) userData[spec.key] = result.value
    else if ('dropped' in result) dropped.push({ key: spec.key, reason: result.dropped })
  }

  return { userData: userData as CapiUserData, dropped }
}

/** The event's own country as an ISO code, for reading its phone numbers and postcodes; the first valid one wins. */
function countryOf(raw: unknown): string | undefined {
  for (const value of valuesOf(raw)) {
    const result = normaliseCountry(value)
    if (isKept(result)) return result.value
  }
  return undefined
}

/** The de-duplicated hashes of a hashed key's values; each value that cannot be sent is reported in `dropped`. */
function hashAll(
  spec: Extract<FilledKeySpec, { hashed: true }>,
  raw: unknown,
  context: NormaliseContext,
  dropped: DroppedValue[]
): string[] {
  const hashes: string[] = []
  const options = { md5PassesThrough: 'md5PassesThrough' in spec && spec.md5PassesThrough }
  for (const value of valuesOf(raw)) {
    const result = hashNormalised(value, (text) => spec.normalise(text, context), options)
    if (isKept(result)) hashes.push(result.value)
    else dropped.push({ key: spec.key, reason: result.dropped })
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
