import { dropped, kept, normaliseText, Normalised } from './normalised'
import { withoutWhitespace } from './text'

// Meta wants only the first five digits of a US ZIP+4, whether written "94035-1234" or "940351234".
const US_ZIP_PLUS_4 = /^\d{9}$/
const MIN_LENGTH = 2

export function normaliseZip(raw: unknown): Normalised {
  return normaliseText(
    raw,
    (text) => {
      const zip = withoutWhitespace(text.toLowerCase().split('-')[0])
      const code = US_ZIP_PLUS_4.test(zip) ? zip.slice(0, 5) : zip
      return code.length < MIN_LENGTH ? dropped(`fewer than ${MIN_LENGTH} characters`) : kept(code)
    },
    { acceptWholeNumbers: true }
  )
}
