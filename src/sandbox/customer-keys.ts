/** Which `user_data` keys are customer information, and which of them Meta only accepts hashed (meta-capi.md §4). */

import { isRecord } from '../lib/is-record'
import { HASHED_KEYS, UNHASHED_KEYS } from '../lib/user-data'

/** Keys that must arrive as 64-char lowercase hex SHA-256 (one string or an array of them). */
export { HASHED_KEYS }

/** Every customer-information key the sandbox recognises; unknown keys are ignored, as they carry no match signal. */
export const CUSTOMER_INFO_KEYS: readonly string[] = [
  ...HASHED_KEYS,
  'f5first',
  'f5last',
  'fi',
  'dobd',
  'dobm',
  'doby',
  ...UNHASHED_KEYS
]

/** A value counts as sent unless it is absent, null, an empty string or an empty array. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false
  return !(Array.isArray(value) && value.length === 0)
}

/** Customer-information keys present in a `user_data` object, in the canonical order above. Never returns values. */
export function presentCustomerKeys(userData: unknown): string[] {
  if (!isRecord(userData)) return []
  return CUSTOMER_INFO_KEYS.filter((key) => isPresent(userData[key]))
}
