import { hash } from 'node:crypto'

const SHA256_HEX = /^[a-f0-9]{64}$/i
const MD5_HEX = /^[a-f0-9]{32}$/i
// capi-param-builder's output: a digest, a dot and an appendix (8 base64url characters: format, language, whether
// it normalised the value, its version; or one of the legacy 2-character language tokens).
const PARAM_BUILDER_VALUE = /^([a-f0-9]{64}|[a-f0-9]{32})\.(AQ|Ag|Aw|BA|BQ|Bg|[\w-]{8})$/i

/** Lowercase hex SHA-256 of the UTF-8 string, as Meta expects for hashed customer information. */
export function sha256(value: string): string {
  // One-shot hashing (Node ≥ 20.12) is about three times faster than a Hash object for short values.
  return hash('sha256', value, 'hex')
}

/** True when the value is already a SHA-256 hex digest, so it must be passed through and never hashed twice. */
export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value)
}

/** True when the value is an MD5 hex digest, which Meta's SDKs pass through for contact information. */
export function isMd5Hex(value: string): boolean {
  return MD5_HEX.test(value)
}

/**
 * A value in capi-param-builder's output format as Meta receives it: the digest lowercased, the appendix as it
 * was (it is base64url, so its case is data). Undefined when the value is not in that format.
 */
export function paramBuilderValue(value: string): string | undefined {
  const match = PARAM_BUILDER_VALUE.exec(value)
  return match ? `${match[1].toLowerCase()}.${match[2]}` : undefined
}
