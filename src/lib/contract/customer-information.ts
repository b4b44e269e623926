/** Which `user_data` keys are customer information, which Meta only accepts hashed, and when they can match anyone. */
import { isRecord } from '../is-record'
import { ALL_HASHED_KEYS, ALL_USER_DATA_KEYS } from './user-data-keys'

/** Keys that must arrive hashed (one string or an array of them), from the user_data contract. */
export const HASHED_KEYS: readonly string[] = ALL_HASHED_KEYS

/** Every customer-information key Meta reads, from the user_data contract; unknown keys carry no match signal. */
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

/**
 * Meta's baseline matching rule (since v13): an event whose customer-information keys are only a subset
 * of one of these sets cannot be matched and is rejected (code 100, subcode 2804050).
 */
export const INSUFFICIENT_KEY_SETS: readonly (readonly string[])[] = [
  ['ct', 'country', 'st', 'zp', 'ge', 'client_user_agent'],
  ['db', 'client_user_agent'],
  ['fn', 'ge'],
  ['ln', 'ge']
]

/** Keys that all sit inside one weak set (or no keys at all) cannot identify anyone. */
export function isTooBroadToMatch(keys: readonly string[]): boolean {
  return INSUFFICIENT_KEY_SETS.some((weakSet) => keys.every((key) => weakSet.includes(key)))
}
