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

// The library looks codes up in plain objects, so "constructor" and the like can return non-codes.
function validAlpha2(code: string | undefined): string | undefined {
  return typeof code === 'string' && ALPHA_2.test(code) && isValid(code) ? code : undefined
}

// Looking a name up scans every country's names; events repeat a handful of spellings, so answers are kept.
const MAX_CACHED_NAMES = 1024
const alpha2ByName = new Map<string, string | undefined>()

function alpha2OfName(name: string): string | undefined {
  if (alpha2ByName.has(name)) return alpha2ByName.get(name)
  if (alpha2ByName.size >= MAX_CACHED_NAMES) alpha2ByName.clear()
  const code = validAlpha2(getAlpha2Code(name, 'en'))
  alpha2ByName.set(name, code)
  return code
}

function alpha2Of(text: string): string | undefined {
  return (
    (ALPHA_2.test(text) ? validAlpha2(text.toUpperCase()) : undefined) ??
    (ALPHA_3.test(text) ? validAlpha2(alpha3ToAlpha2(text.toUpperCase())) : undefined) ??
    alpha2OfName(text)
  )
}
