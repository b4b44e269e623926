import { keptUnlessEmpty, normaliseText, Normalised } from './normalised'
import { lettersOnly } from './text'

/**
 * Letters of any script only ("São Paulo" → sãopaulo, "New York 10001" → newyork). Meta's docs allow UTF-8 here;
 * capi-param-builder would strip "ã". We follow the docs, and must keep doing so: changing it changes every hash.
 */
export function normaliseCity(raw: unknown): Normalised {
  return normaliseText(raw, (text) => keptUnlessEmpty(lettersOnly(text), 'no letters'))
}
