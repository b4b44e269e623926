import { alpha3ToAlpha2, getAlpha2Code, isValid, registerLocale } from 'i18n-iso-countries'
import english from 'i18n-iso-countries/langs/en.json'
import { dropped, kept, normaliseText, Normalised } from './normalised'

// English names and aliases ("United States of America", "USA", "UK"); registering the same locale twice is harmless.
registerLocale(english)

const ALPHA_2 = /^[a-z]{2}$/i
const ALPHA_3 = /^[a-z]{3}$/i

/** ISO 3166-1 alpha-2, lowercase, from an alpha-2 code, an alpha-3 code or an English country name. */
export function normaliseCountry(raw: unknown): Normalised {
  return normaliseText(raw, (text) => {
    const code = alpha2Of(text.replace(/\s+/g, ' '))
    return code ? kept(code.toLowerCase()) : dropped('not a recognised country')
  })
}

function alpha2Of(text: string): string | undefined {
  const candidates = [
    ALPHA_2.test(text) ? text.toUpperCase() : undefined,
    ALPHA_3.test(text) ? alpha3ToAlpha2(text.toUpperCase()) : undefined,
    getAlpha2Code(text, 'en')
  ]
  // The library looks codes up in plain objects, so "constructor" and the like can return non-codes.
  return candidates.find((code): code is string => typeof code === 'string' && ALPHA_2.test(code) && isValid(code))
}
