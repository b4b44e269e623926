import { dropped, kept, normaliseText, Normalised } from './normalised'
import { lowercaseNfc } from './text'

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{M}\p{N}]/gu
const STARTS_WITH_LETTER = /^\p{L}/u

/**
 * Letters of any script and digits, starting with a letter ("São Paulo" → sãopaulo, "Los Angeles 90210" →
 * losangeles90210), as capi-param-builder does except that Meta's docs allow UTF-8 here where it strips "ã". We
 * follow the docs on that, and must keep doing so: changing it changes every hash.
 */
export function normaliseCity(raw: unknown): Normalised {
  return normaliseText(raw, (text) => {
    const city = lowercaseNfc(text).replace(NOT_LETTER_OR_DIGIT, '')
    return STARTS_WITH_LETTER.test(city) ? kept(city) : dropped('does not start with a letter')
  })
}
