/**
 * JSON with object keys sorted at every depth, so the same content always serializes (and hashes) the same whatever
 * the key order. Never throws: values JSON cannot hold are written as text or dropped, as JSON.stringify would.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedDeep(value, new Set())) ?? ''
}

function sortedDeep(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'function' || typeof value === 'symbol') return undefined
  if (typeof value !== 'object' || value === null) return value
  if (ancestors.has(value)) return '[Circular]'
  ancestors.add(value)
  const sorted = Array.isArray(value)
    ? value.map((item) => sortedDeep(item, ancestors))
    : Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, sortedDeep((value as Record<string, unknown>)[key], ancestors)])
      )
  ancestors.delete(value)
  return sorted
}
