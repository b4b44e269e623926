/**
 * What every normaliser returns: the normalised (not yet hashed) string, or a short reason why the value cannot be
 * sent. Reasons are logged and reported, so they must never contain the raw value (it is personal data).
 */
export type Normalised = { value: string } | { dropped: string }

export function kept(value: string): Normalised {
  return { value }
}

export function dropped(reason: string): Normalised {
  return { dropped: reason }
}

export function isKept(result: Normalised): result is { value: string } {
  return 'value' in result
}

/** Keeps the value only when the normalisation left something over; Meta must never receive the hash of "". */
export function keptUnlessEmpty(value: string, reason: string): Normalised {
  return value === '' ? dropped(reason) : kept(value)
}

interface TextOptions {
  /** Identifiers such as phone numbers, ZIP codes and user IDs often arrive as JSON numbers. */
  acceptWholeNumbers?: boolean
}

/**
 * The trimmed string form of a raw mapped value. Only whole numbers that are still exact are accepted as numbers:
 * a fraction or an integer past 2^53 has already lost digits and would hash to the wrong person.
 */
export function readText(raw: unknown, options: TextOptions = {}): Normalised {
  if (typeof raw === 'number' && options.acceptWholeNumbers) {
    return Number.isSafeInteger(raw) ? kept(String(raw)) : dropped('not a whole number')
  }
  if (typeof raw !== 'string') return dropped('not a string')
  return keptUnlessEmpty(raw.trim(), 'empty')
}

/** Chains a normalisation step onto readText, so each normaliser only states its own rule. */
export function normaliseText(raw: unknown, step: (text: string) => Normalised, options?: TextOptions): Normalised {
  const text = readText(raw, options)
  return isKept(text) ? step(text.value) : text
}
