import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js'
import metadata from 'libphonenumber-js/metadata.min.json'
import type { CountryCode, PhoneNumber } from 'libphonenumber-js'
import { dropped, kept, normaliseText, Normalised } from './normalised'

export interface PhoneOptions {
  /** Calling code to add to numbers written in national form, e.g. "1" or "+44". Meta requires a country code. */
  defaultCountryCallingCode?: string
  /** The person's own country (lowercase ISO alpha-2), read from the same event: it wins over the setting. */
  country?: string
}

// E.164 allows at most 15 digits; below 7 no country's subscriber numbers are unique.
const MIN_DIGITS = 7
const MAX_DIGITS = 15
const INTERNATIONAL_PREFIX = /^\s*(?:\+|00)/

/**
 * E.164 digits without the "+": "+44 (0)20 7946 0958" → 442079460958, "(650) 555-1212 x123" in the US →
 * 16505551212. libphonenumber-js reads the number for the event's country (or the configured calling code's),
 * drops the extension and the trunk prefix, and says which reading is a real number. A number it cannot validate
 * falls back to capi-param-builder's form (digits without leading zeros), which is what Meta's own code sends.
 */
export function normalisePhone(raw: unknown, options: PhoneOptions = {}): Normalised {
  return normaliseText(
    raw,
    (text) => {
      const parsed = validNumber(text, countriesToTry(text, options))
      return checkLength(parsed ? parsed.number.slice(1) : pbDigits(text))
    },
    { acceptWholeNumbers: true }
  )
}

/** capi-param-builder's phone form: every non-digit removed, then leading zeros. */
function pbDigits(text: string): string {
  return text.replace(/\D/g, '').replace(/^0+/, '')
}

/** Countries to read a national number for: the event's own first, then the configured calling code's. */
function countriesToTry(text: string, options: PhoneOptions): (CountryCode | undefined)[] {
  if (INTERNATIONAL_PREFIX.test(text)) return [undefined]
  const own = typeof options.country === 'string' ? options.country.toUpperCase() : ''
  const countries: (CountryCode | undefined)[] = []
  if (isSupportedCountry(own)) countries.push(own)
  const configured = countryOfCallingCode(options.defaultCountryCallingCode)
  if (configured && configured !== own) countries.push(configured)
  return countries
}

function validNumber(text: string, countries: (CountryCode | undefined)[]): PhoneNumber | undefined {
  const international = text.trim().replace(/^00/, '+')
  for (const country of countries) {
    const parsed = parse(international, country)
    if (parsed?.isValid()) return parsed
  }
  // Written without "+" but already starting with its country code ("447911123456").
  if (!INTERNATIONAL_PREFIX.test(text)) {
    const parsed = parse(`+${pbDigits(text)}`, undefined)
    if (parsed?.isValid()) return parsed
  }
  return undefined
}

function parse(text: string, country: CountryCode | undefined): PhoneNumber | undefined {
  try {
    return parsePhoneNumberFromString(text, country)
  } catch {
    return undefined
  }
}

/** The main country of a configured calling code ("44" → GB, "+1" → US), or undefined when it is not one. */
function countryOfCallingCode(configured: unknown): CountryCode | undefined {
  if (typeof configured !== 'string') return undefined
  const digits = configured.replace(/\D/g, '').replace(/^0+/, '')
  // The metadata lists the countries sharing a calling code with the main one first.
  const countries = (metadata.country_calling_codes as Record<string, string[] | undefined>)[digits]
  return countries?.[0] as CountryCode | undefined
}

function checkLength(digits: string): Normalised {
  if (digits.length === 0) return dropped('no digits')
  if (digits.length < MIN_DIGITS) return dropped(`fewer than ${MIN_DIGITS} digits`)
  if (digits.length > MAX_DIGITS) return dropped(`more than ${MAX_DIGITS} digits`)
  return kept(digits)
}
