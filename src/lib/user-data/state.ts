import { keptUnlessEmpty, normaliseText, Normalised } from './normalised'
import { STATE_CODES_BY_NAME } from './state-codes'
import { foldedLetters, lettersOnly } from './text'

/**
 * US and Canadian names become Meta's 2-letter code ("New York" → ny); codes already given ("CA") are lowercased
 * by the fallback. Other regions keep their letters in any script ("Île-de-France" → îledefrance); unlike
 * capi-param-builder we never truncate them to two letters, which would turn them into unrelated codes.
 */
export function normaliseState(raw: unknown): Normalised {
  return normaliseText(raw, (text) =>
    keptUnlessEmpty(STATE_CODES_BY_NAME.get(foldedLetters(text)) ?? lettersOnly(text), 'no letters')
  )
}
