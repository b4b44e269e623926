import { dropped, isKept, kept, Normalised } from './normalised'
import { isMd5Hex, isSha256Hex, paramBuilderValue, sha256 } from './sha256'

export type Normaliser = (raw: unknown) => Normalised

export interface HashOptions {
  /** Contact keys pass a 32-hex MD5 through as Meta's SDKs do; external_id does not, a 32-hex ID is often just an ID. */
  md5PassesThrough?: boolean
}

/**
 * The one place where customer information is hashed. A value that is already hashed is passed through, never
 * hashed twice: a SHA-256 digest (and, for contact keys, an MD5 digest) lowercased, and a value in Meta's
 * param-builder format (`<digest>.<appendix>`, which Meta's browser and server libraries emit and send) with its
 * appendix, as Meta's own Node SDK sends it. So no normaliser needs to know about digests.
 */
export function hashNormalised(raw: unknown, normalise: Normaliser, options: HashOptions = {}): Normalised {
  const prehashed = typeof raw === 'string' ? alreadyHashed(raw.trim(), options) : undefined
  if (prehashed !== undefined) return kept(prehashed)
  const normalised = safely(normalise, raw)
  return isKept(normalised) ? kept(sha256(normalised.value)) : normalised
}

function alreadyHashed(text: string, options: HashOptions): string | undefined {
  if (isSha256Hex(text) || (options.md5PassesThrough && isMd5Hex(text))) return text.toLowerCase()
  return paramBuilderValue(text)
}

// Normalisers are written not to throw; this guard keeps a future slip from failing a whole batch of events.
function safely(normalise: Normaliser, raw: unknown): Normalised {
  try {
    return normalise(raw)
  } catch {
    return dropped('could not be normalised')
  }
}
