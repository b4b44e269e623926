import { keptUnlessEmpty, normaliseText, Normalised } from './normalised'
import { withoutSpacePunctuationOrSymbols } from './text'

/**
 * First or last name. Meta's docs ask for no punctuation and keep non-Latin letters ("O'Brien-Smith" → obriensmith,
 * "Valéry" → valéry, "정" → 정). Digits are kept, as capi-param-builder keeps them.
 */
export function normaliseName(raw: unknown): Normalised {
  return normaliseText(raw, (text) => keptUnlessEmpty(withoutSpacePunctuationOrSymbols(text), 'no letters'))
}
