import { isRecord } from '../lib/is-record'

/** The first difference between two JSON values, as one line a person can act on. */

const MAX_SHOWN = 60

/** A JSON value shortened to fit in one table cell. */
export function show(value: unknown): string {
  let text: string
  try {
    text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value))
  } catch {
    text = String(value)
  }
  text = text.replace(/\s+/g, ' ')
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`
}

/**
 * undefined when actual deep-equals expected (JSON semantics: key order is ignored, array order is not);
 * otherwise where they first differ, e.g. `$.user_data.em[0]: expected "62a1…" but got "a5b3…"`.
 */
export function firstDifference(actual: unknown, expected: unknown, path = '$'): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array ${show(expected)} but got ${show(actual)}`
    const length = Math.min(actual.length, expected.length)
    for (let index = 0; index < length; index++) {
      const difference = firstDifference(actual[index], expected[index], childPath(path, index))
      if (difference) return difference
    }
    if (actual.length !== expected.length) {
      const extra = actual.length > expected.length ? `, extra ${show(actual[length])}` : ''
      return `${path}: expected ${expected.length} items but got ${actual.length}${extra}`
    }
    return undefined
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return `${path}: expected an object ${show(expected)} but got ${show(actual)}`
    for (const key of Object.keys(expected)) {
      if (!(key in actual) || actual[key] === undefined) {
        if (expected[key] === undefined) continue
        return `${childPath(path, key)}: missing, expected ${show(expected[key])}`
      }
      const difference = firstDifference(actual[key], expected[key], childPath(path, key))
      if (difference) return difference
    }
    for (const key of Object.keys(actual)) {
      if (!(key in expected) && actual[key] !== undefined) {
        return `${childPath(path, key)}: unexpected ${show(actual[key])}`
      }
    }
    return undefined
  }
  if (Object.is(actual, expected) || (actual === 0 && expected === 0)) return undefined
  return `${path}: expected ${show(expected)} but got ${show(actual)}`
}
