/**
 * Secret redaction for text that may reach a log, an error or stdout.
 *
 * A secret is replaced only where it stands whole: not inside a longer word. Otherwise a short token
 * (`accessToken: "x"`) would turn `index` into `inde[redacted]` and make every message unreadable, while a
 * whole-token match still catches the token in a URL (`access_token=x&`), a JSON string (`"x"`), a header
 * (`Bearer x`) or at the very start or end of the text.
 */

export const REDACTED = '[redacted]'

// Letters and digits of any script, "_" and "-": a secret next to one of these is part of a longer word or
// identifier (`msg-x`, `x_ray`). "." and "/" separate (a token ends a sentence or a URL path segment).
const WORD_CHARACTER = /[\p{L}\p{N}_-]/u

function isWordCharacter(character: string | undefined): boolean {
  return character !== undefined && WORD_CHARACTER.test(character)
}

/**
 * True when text[start, start + length) is not glued to a word on either side. The check applies only on a
 * side where the secret itself ends in a word character (as \b does): a secret ending in "=" is whole
 * whatever follows it.
 */
function standsWhole(text: string, start: number, secret: string): boolean {
  const end = start + secret.length
  const before = isWordCharacter(secret[0]) && isWordCharacter(text[start - 1])
  const after = isWordCharacter(secret[secret.length - 1]) && isWordCharacter(text[end])
  return !before && !after
}

interface Span {
  start: number
  end: number
}

/** Every whole occurrence of secret in text, found with indexOf: linear in the text for each secret. */
function wholeOccurrences(text: string, secret: string): Span[] {
  const spans: Span[] = []
  for (let start = text.indexOf(secret); start !== -1; start = text.indexOf(secret, start + 1)) {
    if (standsWhole(text, start, secret)) spans.push({ start, end: start + secret.length })
  }
  return spans
}

/** Each non-empty secret, plus its URL-encoded form, since tokens also travel in query strings. */
function secretVariants(secrets?: readonly string[]): string[] {
  const variants = new Set<string>()
  for (const secret of secrets ?? []) {
    if (typeof secret !== 'string' || secret === '') continue
    variants.add(secret)
    variants.add(encodeURIComponent(secret))
  }
  return [...variants]
}

/** Spans sorted by start (the longer first on a tie), keeping each one that does not overlap the one kept before. */
function disjoint(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: Span[] = []
  for (const span of sorted) {
    const last = kept[kept.length - 1]
    if (last && span.start < last.end) {
      // Overlapping secrets (one containing the other, or two sharing text): hide their union.
      last.end = Math.max(last.end, span.end)
    } else {
      kept.push({ ...span })
    }
  }
  return kept
}

/** Replace every whole occurrence of each secret (e.g. the access token) in text with "[redacted]". */
export function redactSecrets(text: string, secrets?: readonly string[]): string {
  const spans = disjoint(secretVariants(secrets).flatMap((secret) => wholeOccurrences(text, secret)))
  if (spans.length === 0) return text
  let result = ''
  let copied = 0
  for (const span of spans) {
    result += text.slice(copied, span.start) + REDACTED
    copied = span.end
  }
  return result + text.slice(copied)
}

/**
 * redactSecrets plus a safety net for token-shaped text the caller did not list (a token echoed in a URL, a
 * Bearer header, a Meta access token), because messages end up in logs and dashboards.
 */
export function scrubSecrets(text: string, secrets?: readonly string[]): string {
  return redactSecrets(text, secrets)
    .replace(/((?:access_token|appsecret_proof)=)[^&\s"']+/gi, `$1${REDACTED}`)
    .replace(/("(?:access_token|appsecret_proof)"\s*:\s*")[^"]*/gi, `$1${REDACTED}`)
    .replace(/(Bearer\s+)[\w.~+/=-]+/gi, `$1${REDACTED}`)
    .replace(/\bEAA[A-Za-z0-9]{20,}/g, REDACTED)
}
