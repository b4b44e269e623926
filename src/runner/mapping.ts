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

// Walks like mapping-kit's `get`: a falsy value part-way is the answer, not undefined.
function pathResolver(path: string): Resolver {
  const keys = pathKeys(path)
  if (keys === 'whole') return (payload) => payload
  return (payload) => {
    let value = payload as Record<string, unknown> | undefined
    for (const key of keys) value = (value && value[key]) as Record<string, unknown> | undefined
    return value
  }
}

function directiveName(node: Record<string, unknown>): string | undefined {
  const keys = Object.keys(node)
  const name = keys.find((key) => key.startsWith('@'))
  if (name === undefined) return undefined
  return keys.every((key) => key.startsWith('@') || key === '_metadata') ? name : undefined
}

function compileIf(options: unknown): Resolver | null {
  if (!isObject(options) || (!options.exists && !options.blank)) return null
  const test = options.exists !== undefined ? compileNode(options.exists) : compileNode(options.blank)
  const then = options.then !== undefined ? compileNode(options.then) : undefined
  const otherwise = options.else ? compileNode(options.else) : undefined
  if (test === null || then === null || otherwise === null) return null
  const byExists = options.exists !== undefined
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

function compileArrayPath(options: unknown): Resolver | null {
  if (!Array.isArray(options)) return null
  const [path, itemShape] = options as unknown[]
  const root = typeof path === 'string' ? pathResolver(path) : compileNode(path)
  if (root === null) return null
  if (!isObject(itemShape) || Object.keys(itemShape).length === 0) return root
  const item = compileNode(itemShape)
  if (item === null) return null
  return (payload) => {
    const value = root(payload)
    if (value === undefined || value === null) return value
    const kind = realTypeOf(value)
    if (kind !== 'object' && kind !== 'array') return value
    return (Array.isArray(value) ? value : [value]).map(item)
  }
}

function compileDirective(name: string, options: unknown): Resolver | null {
  if (name === '@path') return typeof options === 'string' ? pathResolver(options) : null
  if (name === '@if') return compileIf(options)
  if (name === '@arrayPath') return compileArrayPath(options)
  return null
}

function compileObject(node: Record<string, unknown>): Resolver | null {
  const entries: [string, Resolver][] = []
  for (const key of Object.keys(node)) {
    const resolver = compileNode(node[key])
    if (resolver === null) return null
    entries.push([key, resolver])
  }
  return (payload) => {
    const resolved: Record<string, unknown> = {}
    for (const [key, resolver] of entries) resolved[key] = resolver(payload)
    return resolved
  }
}

/** A resolver for one mapping node, or null when the node needs actions-core's own resolution. */
function compileNode(node: unknown): Resolver | null {
  if (Array.isArray(node)) {
    const items = node.map(compileNode)
    if (items.some((item) => item === null)) return null
    return (payload) => (items as Resolver[]).map((item) => item(payload))
  }
  if (!isObject(node)) return () => node
  const name = directiveName(node)
  return name === undefined ? compileObject(node) : compileDirective(name, node[name])
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
  const compiled = acceptedByActionsCore(mapping) ? compileNode(mapping) : null
  if (compiled === null) return (event) => transform(mapping, event as JSONObject)
  return (event) => removeUndefined(compiled(event))
}
