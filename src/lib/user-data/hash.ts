import { dropped, isKept, kept, Normalised } from './normalised'
import { isSha256Hex, sha256 } from './sha256'

export type Normaliser = (raw: unknown) => Normalised

/**
 * The one place where customer information is hashed. A value that is already a SHA-256 digest (an upstream system
 * hashed it) is passed through lowercased, whatever the field, so no normaliser needs to know about digests and
 * nothing is ever hashed twice.
 */
export function hashNormalised(raw: unknown, normalise: Normaliser): Normalised {
  const prehashed = typeof raw === 'string' ? raw.trim() : ''
  if (isSha256Hex(prehashed)) return kept(prehashed.toLowerCase())
  const normalised = safely(normalise, raw)
  return isKept(normalised) ? kept(sha256(normalised.value)) : normalised
}

// Normalisers are written not to throw; this guard keeps a future slip from failing a whole batch of events.
function safely(normalise: Normaliser, raw: unknown): Normalised {
  try {
    return normalise(raw)
  } catch {
    return dropped('could not be normalised')
  }
}
