import { keptUnlessEmpty, normaliseText, Normalised } from './normalised'
import { withoutWhitespace } from './text'

/** Must match what the browser pixel hashes for the same user, so only case and whitespace are touched. */
export function normaliseExternalId(raw: unknown): Normalised {
  return normaliseText(raw, (text) => keptUnlessEmpty(withoutWhitespace(text.toLowerCase()), 'empty'), {
    acceptWholeNumbers: true
  })
}
