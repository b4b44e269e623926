import { keptUnlessEmpty, normaliseText, Normalised } from './normalised'
import { CONTAINED_STATE_NAMES, STATE_CODES_BY_NAME } from './state-codes'
import { firstNameIn, foldedLatinLetters, lettersOnly } from './text'

/**
 * US states and Canadian provinces become Meta's 2-letter code, read as capi-param-builder reads them (letters
 * a–z only; a 2-letter value is already a code; a name inside longer text counts: "Texas, USA", "State of New
 * York") and also from print abbreviations ("Calif.", "N. Carolina", "PEI"). Other regions keep their letters in
 * any script ("Île-de-France" → îledefrance): unlike capi-param-builder we never cut them to two letters, which
 * Meta's docs ask only of US states and would turn them into unrelated codes.
 */
export function normaliseState(raw: unknown): Normalised {
  return normaliseText(raw, (text) => {
    const letters = foldedLatinLetters(text)
    const code = letters.length === 2 ? letters : stateCodeOf(letters)
    return keptUnlessEmpty(code ?? lettersOnly(text), 'no letters')
  })
}

function stateCodeOf(letters: string): string | undefined {
  const named = STATE_CODES_BY_NAME.get(letters)
  if (named) return named
  const contained = firstNameIn(letters, CONTAINED_STATE_NAMES)
  return contained === undefined ? undefined : STATE_CODES_BY_NAME.get(contained)
}
