import { passThrough } from './unhashed'
import type { PassedThrough } from './unhashed'

// Meta's cookie formats, fb.{subdomainIndex}.{creationTimeMs}.{payload}, optionally followed by the appendix that
// Meta's param builder adds (8 base64url characters, or a legacy 2-character language token).
const APPENDIX = '(?:\\.(?:AQ|Ag|Aw|BA|BQ|Bg|[\\w-]{8}))?'
const FBC = new RegExp(`^fb\\.\\d+\\.\\d+\\.[\\w-]+${APPENDIX}$`)
const FBP = new RegExp(`^fb\\.\\d+\\.\\d+\\.\\d+${APPENDIX}$`)

/** fbc as given (case kept), or dropped when it is not fb.N.<ms>.<fbclid>: Meta cannot attribute a bare click ID. */
export function clickId(raw: unknown): PassedThrough {
  return checked(passThrough(raw), FBC, 'not in the fb.N.<ms>.<fbclid> format')
}

/** fbp as given, or dropped when it is not fb.N.<ms>.<random>. */
export function browserId(raw: unknown): PassedThrough {
  return checked(passThrough(raw), FBP, 'not in the fb.N.<ms>.<random number> format')
}

function checked(result: PassedThrough, format: RegExp, reason: string): PassedThrough {
  if (!('value' in result)) return result
  return format.test(String(result.value)) ? result : { dropped: reason }
}
