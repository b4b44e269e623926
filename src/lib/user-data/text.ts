// Unicode-aware character classes, because Meta accepts UTF-8 names and cities ("valéry", "정") and hashes bytes:
// the same name typed with a composed or a decomposed accent must give the same hash, hence NFC.

const NOT_A_LETTER = /[^\p{L}\p{M}]/gu
const SPACE_PUNCTUATION_OR_SYMBOL = /[\p{White_Space}\p{P}\p{S}\p{Cc}]/gu
const WHITESPACE = /\s/gu
const COMBINING_MARK = /\p{M}/gu

export function lowercaseNfc(text: string): string {
  return text.toLowerCase().normalize('NFC')
}

/** Letters of any script, with their combining marks (needed by scripts such as Devanagari or Thai). */
export function lettersOnly(text: string): string {
  return lowercaseNfc(text).replace(NOT_A_LETTER, '')
}

export function withoutSpacePunctuationOrSymbols(text: string): string {
  return lowercaseNfc(text).replace(SPACE_PUNCTUATION_OR_SYMBOL, '')
}

export function withoutWhitespace(text: string): string {
  return text.replace(WHITESPACE, '')
}

const NOT_LATIN_LETTER = /[^a-z]/g

/** Latin letters a–z only, accents removed first ("Côte d'Ivoire" → cotedivoire): the key of name tables. */
export function foldedLatinLetters(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARK, '').toLowerCase().replace(NOT_LATIN_LETTER, '')
}

/**
 * The name that starts first in the text, the longest of those starting there: "brazilsouthamerica" is brazil, not
 * america; "westvirginiastate" is westvirginia, not virginia. `names` must be sorted longest first.
 */
export function firstNameIn(text: string, names: readonly string[]): string | undefined {
  let best: string | undefined
  let bestAt = Infinity
  for (const name of names) {
    const at = text.indexOf(name)
    if (at !== -1 && at < bestAt) {
      best = name
      bestAt = at
    }
  }
  return best
}
