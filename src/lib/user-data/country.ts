import { alpha3ToAlpha2, isValid } from 'i18n-iso-countries'
import { CONTAINED_COUNTRY_NAMES, COUNTRY_CODES_BY_NAME } from './country-names'
import { dropped, kept, normaliseText, Normalised } from './normalised'
import { firstNameIn, foldedLatinLetters } from './text'

/**
 * ISO 3166-1 alpha-2, lowercase, read the way capi-param-builder reads it (letters a–z only, so separators,
 * accents in NFD and trailing emoji do not matter; a name inside longer text counts), with names in many languages
 * and alpha-3 codes. Unlike capi-param-builder an unknown name is dropped, not cut to its first two letters
 * ("Österreich" → at, where Meta's code sends "st").
 */
export function normaliseCountry(raw: unknown): Normalised {
  return normaliseText(raw, (text) => {
    const code = countryCodeOf(foldedLatinLetters(text))
    return code ? kept(code) : dropped('not a recognised country')
  })
}

// Looking a name up inside longer text scans every name; events repeat a handful of spellings, so answers are kept.
const MAX_CACHED = 1024
const codeByLetters = new Map<string, string | undefined>()

function countryCodeOf(letters: string): string | undefined {
  if (codeByLetters.has(letters)) return codeByLetters.get(letters)
  if (codeByLetters.size >= MAX_CACHED) codeByLetters.clear()
  const code = lookUp(letters)
  codeByLetters.set(letters, code)
  return code
}

function lookUp(letters: string): string | undefined {
  if (letters.length === 2) return isValid(letters.toUpperCase()) ? letters : COUNTRY_CODES_BY_NAME.get(letters)
  const named = COUNTRY_CODES_BY_NAME.get(letters)
  if (named) return named
  if (letters.length === 3) return alpha3ToAlpha2(letters.toUpperCase())?.toLowerCase()
  return containedCode(letters)
}

function containedCode(letters: string): string | undefined {
  const name = firstNameIn(letters, CONTAINED_COUNTRY_NAMES)
  return name === undefined ? undefined : COUNTRY_CODES_BY_NAME.get(name)
}
