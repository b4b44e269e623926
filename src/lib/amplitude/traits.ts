import type { SegmentTraits } from './segment-spec'
import { compact, first, recordOrEmpty, text, type JsonObject } from './values'

/**
 * HTTP V2 identify-style user_properties hold values inside `$setOnce` / `$set` operations; a plain key is the
 * latest value, then `$set`, then `$setOnce`.
 */
export function flattenedUserProperties(userProperties: JsonObject): JsonObject {
  return { ...recordOrEmpty(userProperties.$setOnce), ...recordOrEmpty(userProperties.$set), ...userProperties }
}

/**
 * Segment `context.traits` (the destination hashes them into em/ph/fn/ln/db/ge/ct/st/zp/country) from
 * customer-set user properties only. Amplitude's top-level city/region/country are geo-IP guesses in full names:
 * sending them as the user's address adds wrong matches rather than good ones, so they are left out.
 */
export function traitsFrom(userProperties: JsonObject): SegmentTraits | undefined {
  const read = (...names: string[]) => first(text, ...names.map((name) => userProperties[name]))
  return compact({
    email: read('email'),
    phone: read('phone'),
    firstName: read('first_name', 'firstName'),
    lastName: read('last_name', 'lastName'),
    birthday: read('birthday', 'date_of_birth', 'dob', 'birthdate'),
    gender: read('gender'),
    address: compact({
      city: read('city'),
      state: read('state', 'region'),
      postalCode: read('zip', 'zip_code', 'postal_code', 'postalCode'),
      country: read('country')
    })
  })
}
