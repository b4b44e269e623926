/** Which `user_data` keys are customer information, and which of them Meta only accepts hashed (meta-capi.md §4). */

import { ALL_HASHED_KEYS, ALL_USER_DATA_KEYS } from '../lib/contract/user-data-keys'
import { isRecord } from '../lib/is-record'

/** Keys that must arrive hashed (one string or an array of them), from the user_data contract. */
export const HASHED_KEYS: readonly string[] = ALL_HASHED_KEYS

/** Every customer-information key the sandbox recognises; unknown keys are ignored, as they carry no match signal. */
export const CUSTOMER_INFO_KEYS: readonly string[] = ALL_USER_DATA_KEYS

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
