/**
 * A mapping resolved the way actions-core's mapping-kit resolves it, compiled once per mapping instead of
 * interpreted per event. Only the directives the presets are made of (`@path`, `@if`, `@arrayPath`) are compiled;
 * a mapping with anything else (or one actions-core refuses) is resolved by actions-core itself, event by event.
 * test/runner/mapping.test.ts holds the compiled form to actions-core's `transform` on fuzzed events and mappings.
 */
import { isObject, realTypeOf, removeUndefined, transform } from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'

/** One event to its payload; throws where actions-core's mapping throws. */
export type MappingFn = (event: object) => unknown

type Resolver = (payload: unknown) => unknown

// actions-core's path syntax: `a.b`, `a[0]`, `a['b']`, `a["b"]`; the split and the quote stripping are its own.
const PATH_SEPARATORS = /\[(?="|'|\d)|\.|(?<="|'|\d)\]+/g
const QUOTES = /'|"/g

/** A path's keys, as mapping-kit derives them from the text after `$.`. */
function pathKeys(path: string): string[] | 'whole' {
  const relative = path.replace('$.', '')
  if (relative === '' || relative === '.') return 'whole'
  return relative
    .split(PATH_SEPARATORS)
    .filter((part) => part)
    .map((part) => part.replace(QUOTES, ''))
}

/**
 * `clean`: the value as mapping-kit's final removeUndefined pass leaves it (copies without undefined keys), built
 * clean instead of copied afterwards. `raw`: as mapping-kit's resolve gives it, which is what a condition tests.
 */
type Mode = 'clean' | 'raw'

function cleaned(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? removeUndefined(value) : value
}

// Walks like mapping-kit's `get`: a falsy value part-way is the answer, not undefined.
function pathReader(path: string, mode: Mode): Resolver {
  const keys = pathKeys(path)
  const read: Resolver =
    keys === 'whole'
      ? (payload) => payload
      : (payload) => {
          let value = payload as Record<string, unknown> | undefined
          for (const key of keys) value = (value && value[key]) as Record<string, unknown> | undefined
          return value
        }
  return mode === 'clean' ? (payload) => cleaned(read(payload)) : read
}

function directiveName(node: Record<string, unknown>): string | undefined {
  const keys = Object.keys(node)
  const name = keys.find((key) => key.startsWith('@'))
  if (name === undefined) return undefined
  return keys.every((key) => key.startsWith('@') || key === '_metadata') ? name : undefined
}

function compileIf(options: unknown, mode: Mode): Resolver | null {
  if (!isObject(options) || (!options.exists && !options.blank)) return null
  const byExists = options.exists !== undefined
  const test = compileNode(byExists ? options.exists : options.blank, 'raw')
  const then = options.then !== undefined ? compileNode(options.then, mode) : undefined
  const otherwise = options.else ? compileNode(options.else, mode) : undefined
  if (test === null || then === null || otherwise === null) return null
  return (payload) => {
    const value = test(payload)
    const holds = byExists
      ? value !== undefined && value !== null
      : value !== undefined && value !== null && value != ''
    if (holds && then) return then(payload)
    if (!holds && otherwise) return otherwise(payload)
    return undefined
  }
}

function compileArrayPath(options: unknown, mode: Mode): Resolver | null {
  if (!Array.isArray(options)) return null
  const [path, itemShape] = options as unknown[]
  const root = typeof path === 'string' ? pathReader(path, 'raw') : compileNode(path, 'raw')
  if (root === null) return null
  const asIs = mode === 'clean' ? (value: unknown) => cleaned(value) : (value: unknown) => value
  if (!isObject(itemShape) || Object.keys(itemShape).length === 0) return (payload) => asIs(root(payload))
  const item = compileNode(itemShape, mode)
  if (item === null) return null
  return (payload) => {
    const value = root(payload)
    const kind = realTypeOf(value)
    if (kind !== 'object' && kind !== 'array') return asIs(value)
    return (Array.isArray(value) ? value : [value]).map(item)
  }
}

function compileDirective(name: string, options: unknown, mode: Mode): Resolver | null {
  if (name === '@path') return typeof options === 'string' ? pathReader(options, mode) : null
  if (name === '@if') return compileIf(options, mode)
  if (name === '@arrayPath') return compileArrayPath(options, mode)
  return null
}

function compileObject(node: Record<string, unknown>, mode: Mode): Resolver | null {
  const entries: [string, Resolver][] = []
  for (const key of Object.keys(node)) {
    const resolver = compileNode(node[key], mode)
    if (resolver === null) return null
    entries.push([key, resolver])
  }
  if (mode === 'raw') {
    return (payload) => {
      const resolved: Record<string, unknown> = {}
      for (const [key, resolver] of entries) resolved[key] = resolver(payload)
      return resolved
    }
  }
  // mapping-kit assigns a `__proto__` key (a prototype change) and its clean-up copies own keys only: the key
  // vanishes, though its value is still resolved (and may throw).
  return (payload) => {
    const resolved: Record<string, unknown> = {}
    for (const [key, resolver] of entries) {
      const value = resolver(payload)
      if (value !== undefined && key !== '__proto__') resolved[key] = value
    }
    return resolved
  }
}

/** A resolver for one mapping node, or null when the node needs actions-core's own resolution. */
function compileNode(node: unknown, mode: Mode): Resolver | null {
  if (Array.isArray(node)) {
    const items = node.map((item) => compileNode(item, mode))
    if (items.some((item) => item === null)) return null
    return (payload) => (items as Resolver[]).map((item) => item(payload))
  }
  if (!isObject(node)) return () => node
  const name = directiveName(node)
  return name === undefined ? compileObject(node, mode) : compileDirective(name, node[name], mode)
}

// actions-core's key for a root directive that wraps the rest of the mapping; left to actions-core.
const ROOT_DIRECTIVE_KEY = '__segment_internal_directive'

/** Whether actions-core accepts the mapping at all (its validation runs before any event is resolved). */
function acceptedByActionsCore(mapping: JSONObject): boolean {
  if (ROOT_DIRECTIVE_KEY in mapping) return false
  try {
    transform(mapping, {})
    return true
  } catch {
    return false
  }
}

/** The mapping as a function of one event, compiled where it can be and actions-core's `transform` elsewhere. */
export function compileMapping(mapping: JSONObject): MappingFn {
  const compiled = acceptedByActionsCore(mapping) ? compileNode(mapping, 'clean') : null
  if (compiled === null) return (event) => transform(mapping, event as JSONObject)
  return compiled
}
