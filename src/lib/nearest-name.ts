/** Case, `_`, `-` and spaces do not tell names apart for a typo: `access_token` is a spelling of `accessToken`. */
function folded(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '')
}

/**
 * Edit distance counting an insertion, deletion, substitution or swap of two neighbours as one edit (optimal string
 * alignment), so `emial` is one edit from `email`. O(a·b) time, three rows of memory; names are short.
 */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        current[j] = Math.min(current[j], beforePrevious[j - 2] + 1)
      }
    }
    beforePrevious = previous
    previous = current
  }
  return previous[b.length]
}

/**
 * The known name closest to `name`, when it is close enough to be a likely typo: at most a third of its letters
 * differ (at least one may), compared without case, `_`, `-` or spaces. Undefined when nothing is that close.
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const target = folded(name)
  // Names far longer than any known one (a pasted value) are not typos; this also bounds the work.
  if (target.length > 100) return undefined
  let best: { name: string; distance: number } | undefined
  for (const candidate of known) {
    const distance = editDistance(target, folded(candidate))
    if (!best || distance < best.distance) best = { name: candidate, distance }
  }
  if (!best) return undefined
  return best.distance <= Math.max(1, Math.floor(target.length / 3)) ? best.name : undefined
}
