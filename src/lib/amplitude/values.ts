import { isRecord } from '../is-record'

export type JsonObject = Record<string, unknown>

export { isRecord }

/** The record itself, or an empty one: Amplitude sends `null` or omits optional objects. */
export function recordOrEmpty(value: unknown): JsonObject {
  return isRecord(value) ? value : {}
}

export function nonBlankString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}

/** A non-blank string, or a finite number as text: streaming sends strings, SDKs sometimes send numbers. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  return nonBlankString(value)
}

/** The first value that `read` accepts, for Amplitude's many alternative names of one field. */
export function first<T>(read: (value: unknown) => T | undefined, ...values: unknown[]): T | undefined {
  for (const value of values) {
    const found = read(value)
    if (found !== undefined) return found
  }
  return undefined
}

const NUMERIC_STRING = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/

/** A finite number from a number or a numeric string (Amplitude streaming forwards numbers as strings). */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || !NUMERIC_STRING.test(value.trim())) return undefined
  const parsed = Number(value.trim())
  return Number.isFinite(parsed) ? parsed : undefined
}

/** The object without its undefined members, or undefined when nothing is left, so empty sections are omitted. */
export function compact<T extends object>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, member]) => member !== undefined)
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as T)
}
