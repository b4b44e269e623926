import { dropped, kept, normaliseText, Normalised } from './normalised'
import { withoutWhitespace } from './text'

export interface ZipOptions {
  /** The person's country (lowercase ISO alpha-2) from the same event, when known. */
  country?: string
}

// Meta wants only the first five digits of a US ZIP+4, whether written "94035-1234" or "940351234".
const US_ZIP = /^(\d{5})(?:\d{4})?$/
const ZIP_PLUS_4 = /^(\d{5})-?\d{4}$/
const MIN_LENGTH = 2

/**
 * Lowercase, no spaces, no dash (Meta's rule), and the first five digits of a US ZIP+4. Only a US ZIP+4 is cut:
 * elsewhere a dash is part of the code (Japan 100-0001 → 1000001, Poland 00-950 → 00950). With the country known,
 * only US codes are cut; without it, a value shaped like a ZIP+4 is taken as one.
 */
export function normaliseZip(raw: unknown, options: ZipOptions = {}): Normalised {
  return normaliseText(
    raw,
    (text) => {
      const compact = withoutWhitespace(text.toLowerCase())
      const code = usZip(compact, options.country) ?? compact.replace(/-/g, '')
      return code.length < MIN_LENGTH ? dropped(`fewer than ${MIN_LENGTH} characters`) : kept(code)
    },
    { acceptWholeNumbers: true }
  )
}

function usZip(compact: string, country: string | undefined): string | undefined {
  if (country === undefined) return ZIP_PLUS_4.exec(compact)?.[1]
  if (country !== 'us') return undefined
  return US_ZIP.exec(compact.replace(/-/g, ''))?.[1]
}
