/**
 * Meta's capi-param-builder (capi-param-builder-nodejs, a devDependency) as the oracle of our user-data normal
 * form, and the README's list of deliberate deviations from it as one explicit predicate. Each deviation below
 * matches a line of the README's "Where we differ from Meta's param builder" list, by its id.
 */
import { isValidPhoneNumber } from 'libphonenumber-js'
import { isValid as isIsoCountry } from 'i18n-iso-countries'
import { ParamBuilder } from 'capi-param-builder-nodejs'
import { buildUserData, HASHED_KEYS } from '../../../src/lib/user-data'
import type { UserDataInput } from '../../../src/lib/user-data'
import { FILLED_KEYS } from '../../../src/lib/contract/user-data-keys'
import { STATE_CODES_BY_NAME } from '../../../src/lib/user-data/state-codes'
import { COUNTRY_CODES_BY_NAME } from '../../../src/lib/user-data/country-names'
import { foldedLatinLetters, lettersOnly, withoutSpacePunctuationOrSymbols } from '../../../src/lib/user-data/text'

export type OracleKey = (typeof HASHED_KEYS)[number]

/** The param builder's data type for each of our hashed keys. */
export const PB_DATA_TYPE: Record<OracleKey, string> = {
  em: 'email',
  ph: 'phone',
  fn: 'first_name',
  ln: 'last_name',
  ge: 'gender',
  db: 'date_of_birth',
  ct: 'city',
  st: 'state',
  zp: 'zip_code',
  country: 'country',
  external_id: 'external_id'
}

// The normal form before hashing is not part of the package's typed API, only of its source.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getNormalizedPII } = require('capi-param-builder-nodejs/src/piiUtil/PIIUtil') as {
  getNormalizedPII: (value: string, dataType: string) => string | null
}

const builder = new ParamBuilder([])
const HEX = /^(?:[a-f0-9]{64}|[a-f0-9]{32})$/i
const PB_VALUE = /^(?:[a-f0-9]{64}|[a-f0-9]{32})\.(?:AQ|Ag|Aw|BA|BQ|Bg|.{8})$/i

/** What the param builder sends for a value: its digest without the appendix (or a passed-through value), or null. */
export function pbSent(key: OracleKey, value: string): string | null {
  const sent = builder.getNormalizedAndHashedPII(value, PB_DATA_TYPE[key])
  if (sent === null) return null
  return PB_VALUE.test(value.trim()) ? sent : sent.slice(0, sent.lastIndexOf('.'))
}

/** The param builder's normal form before hashing (the value itself when it passes it through); '' means dropped. */
export function pbNormalForm(key: OracleKey, value: string): string | null {
  const trimmed = value.trim()
  if (HEX.test(trimmed)) return trimmed.toLowerCase()
  if (PB_VALUE.test(trimmed)) return trimmed
  const normal = getNormalizedPII(value, PB_DATA_TYPE[key])
  return normal ? normal : null
}

/** What we send for a value of one key (with the event's country when given): the first value of the key, or null. */
export function ourSent(key: OracleKey, value: string, country?: string, callingCode?: string): string | null {
  const spec = FILLED_KEYS.find((candidate) => candidate.key === key)
  if (!spec) throw new Error(`no such key ${key}`)
  const input: Record<string, unknown> = { [spec.input]: value }
  if (country !== undefined && key !== 'country') input.country = country
  const { userData } = buildUserData(input as UserDataInput, { defaultCountryCallingCode: callingCode })
  return (userData[key] as string[] | undefined)?.[0] ?? null
}

/** Our normal form before hashing, through the contract's normaliser; pre-hashed values are themselves. */
export function ourNormalForm(key: OracleKey, value: string, country?: string, callingCode?: string): string | null {
  const spec = FILLED_KEYS.find((candidate) => candidate.key === key)
  if (!spec || !spec.hashed) throw new Error(`no such hashed key ${key}`)
  const trimmed = value.trim()
  if (HEX.test(trimmed) && !(key === 'external_id' && trimmed.length === 32)) return trimmed.toLowerCase()
  const result = spec.normalise(value, { country, defaultCountryCallingCode: callingCode })
  return 'value' in result ? result.value : null
}

const US_CA_CODES = new Set(STATE_CODES_BY_NAME.values())
const NOT_PB_LETTER = /[^a-z]/g
const INTERNATIONAL = /^\s*(?:\+|00)/
const EXTENSION = /\d\s*(?:ext\.?|extension|x|#)\s*\d+\s*$/i

/** The param builder's cut of text it does not recognise: its first two a–z letters (one when there is one). */
function pbTruncation(value: string): string {
  return value.toLowerCase().replace(NOT_PB_LETTER, '').slice(0, 2)
}

function isRealDate(yyyymmdd: string): boolean {
  const [year, month, day] = [yyyymmdd.slice(0, 4), yyyymmdd.slice(4, 6), yyyymmdd.slice(6, 8)].map(Number)
  const date = new Date(Date.UTC(year, month - 1, day))
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  return real && year >= 1900 && year <= new Date().getUTCFullYear()
}

/**
 * Which README deviation explains that we send `ours` where the param builder sends `pb` (both normal forms, null
 * for nothing), or undefined when none does: then the difference is a bug.
 */
export function deviation(key: OracleKey, input: string, ours: string | null, pb: string | null): string | undefined {
  const trimmed = input.trim()
  switch (key) {
    case 'ph':
      // D1: Meta's code sends digit strings no phone number has (fewer than 7 or more than 15 digits).
      if (ours === null && pb !== null && (pb.length < 7 || pb.length > 15)) return 'phone-7-15-digits'
      // D2: a national number gets its country's calling code (Meta's docs: always include the country code).
      if (
        ours !== null &&
        pb !== null &&
        !INTERNATIONAL.test(input) &&
        ours.endsWith(pb) &&
        ours.length - pb.length <= 4
      )
        return 'phone-national-country-code'
      // D3: Meta's code keeps an extension or a trunk "(0)", digits that are no part of the number.
      if (ours !== null && pb !== null && EXTENSION.test(input) && pb.startsWith(ours)) return 'phone-trunk-extension'
      if (ours !== null && isValidPhoneNumber(`+${ours}`) && (pb === null || !isValidPhoneNumber(`+${pb}`)))
        return 'phone-trunk-extension'
      // D2 and D3 together: a national number with an extension or a trunk prefix.
      if (ours !== null && !INTERNATIONAL.test(input) && isValidPhoneNumber(`+${ours}`))
        return 'phone-national-country-code'
      return undefined
    case 'db':
      // D4: Meta's docs: a real calendar date between 1900 and this year (no 30 February, no 1800, no next year).
      if (ours === null && pb !== null && !isRealDate(pb)) return 'dob-real-date'
      return undefined
    case 'country':
      // D5: Meta's code cuts a name it does not know to two letters; we send only ISO codes, from more names.
      if (pb === pbTruncation(input) && (ours === null || isIsoCountry(ours.toUpperCase()))) return 'country-iso-only'
      // D6: a name inside longer text: we take the name that starts first, Meta's code the first in its list.
      if (ours !== null && !COUNTRY_CODES_BY_NAME.has(foldedLatinLetters(input))) return 'name-inside-text'
      return undefined
    case 'st': {
      // D7: only US states and Canadian provinces become 2-letter codes; other regions are not cut (Meta's docs).
      const keptWhole = ours === lettersOnly(input)
      if (pb === pbTruncation(input) && (keptWhole || (ours !== null && US_CA_CODES.has(ours)))) return 'state-not-cut'
      if (pb === null && keptWhole) return 'state-not-cut'
      // D6: a name inside longer text (west virginia is wv) or one Meta's list lacks (DC, territories).
      if (ours !== null && US_CA_CODES.has(ours)) return 'name-inside-text'
      return undefined
    }
    case 'zp': {
      // D8: no spaces and no dash (Meta's docs); only a US ZIP+4 is cut to five digits.
      const compact = trimmed.toLowerCase().replace(/[\s-]/g, '')
      if (/[\s-]/.test(trimmed) && (ours === compact || ours === compact.slice(0, 5))) return 'zip-dash-space'
      if (/^\d{9}$/.test(compact) && ours === compact.slice(0, 5)) return 'zip-dash-space'
      return undefined
    }
    case 'ct':
      // D9: Meta's docs allow UTF-8 in cities; Meta's code strips every letter outside a–z.
      if (/[^\p{ASCII}]/u.test(input) && ours !== null) return 'city-utf8'
      return undefined
    case 'fn':
    case 'ln':
      // D10: no punctuation (Meta's docs) includes Unicode punctuation and symbols; accents composed (NFC).
      if (/[^\x20-\x7e]/.test(input) && ours === withoutSpacePunctuationOrSymbols(input)) return 'name-unicode'
      return undefined
    case 'ge':
      // D11: more gender words (other languages) and punctuation around a word; Meta's code sends nothing there.
      if (pb === null && ours !== null) return 'gender-more-words'
      return undefined
    case 'em':
      // D12: Meta's email pattern lets "a:.b@x.com" and addresses over RFC 5321's 254 characters through.
      if (ours === null && pb !== null && (pb.length > 254 || pb.includes(':'))) return 'email-rfc'
      return undefined
    case 'external_id':
      // D13: a 32-hex external ID is an ID (hashed), not an MD5 digest passed through.
      if (/^[a-f0-9]{32}$/i.test(trimmed)) return 'external-id-md5'
      return undefined
  }
}
