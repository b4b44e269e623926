import { dropped, kept, normaliseText, Normalised } from './normalised'

export interface PhoneOptions {
  /** Calling code to add to numbers written in national form, e.g. "1" or "+44". Meta requires a country code. */
  defaultCountryCallingCode?: string
}

// E.164 allows at most 15 digits; below 7 no country's subscriber numbers are unique.
const MIN_DIGITS = 7
const MAX_DIGITS = 15
// Longest national significant number we still treat as national (after the trunk zero is removed).
const MAX_NATIONAL_DIGITS = 10
const INTERNATIONAL_PREFIX = /^(?:\+|00)/

export function normalisePhone(raw: unknown, options: PhoneOptions = {}): Normalised {
  return normaliseText(
    raw,
    (text) => {
      const digits = withoutLeadingZeros(text.replace(/\D/g, ''))
      const callingCode = INTERNATIONAL_PREFIX.test(text) ? '' : callingCodeDigits(options?.defaultCountryCallingCode)
      return checkLength(needsCallingCode(digits, callingCode) ? callingCode + digits : digits)
    },
    { acceptWholeNumbers: true }
  )
}

// Covers both the "00" international prefix and a national trunk zero ("020 7946 0958" → 2079460958).
function withoutLeadingZeros(digits: string): string {
  return digits.replace(/^0+/, '')
}

/** The configured calling code as bare digits, or '' when it is absent or not a 1–3 digit code. */
function callingCodeDigits(configured: unknown): string {
  if (typeof configured !== 'string') return ''
  const digits = withoutLeadingZeros(configured.replace(/\D/g, ''))
  return /^\d{1,3}$/.test(digits) ? digits : ''
}

function needsCallingCode(digits: string, callingCode: string): boolean {
  return callingCode !== '' && digits !== '' && digits.length <= MAX_NATIONAL_DIGITS && !digits.startsWith(callingCode)
}

function checkLength(digits: string): Normalised {
  if (digits.length === 0) return dropped('no digits')
  if (digits.length < MIN_DIGITS) return dropped(`fewer than ${MIN_DIGITS} digits`)
  if (digits.length > MAX_DIGITS) return dropped(`more than ${MAX_DIGITS} digits`)
  return kept(digits)
}
