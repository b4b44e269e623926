import { Destination } from '@segment/actions-core'
import definition from '../../destinations/meta-pixel'
import { apiVersionProblem, pixelIdProblem } from '../../destinations/meta-pixel/graph'
import { isRecord } from '../../lib/is-record'
import { nearestName } from '../../lib/nearest-name'
import { isDirective } from '../routing'
import { MAPPING_FIELDS, type ValueCheck } from './schema'

/** A configuration that cannot be run as written; the CLI exits 2 with its message, the service refuses to start. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** Throws one ConfigError listing every problem found, so a user fixes a file in one go. */
export function throwIfProblems(problems: string[]): void {
  if (problems.length > 0) throw new ConfigError(problems.join('; '))
}

function didYouMean(key: string, known: readonly string[]): string {
  const nearest = nearestName(key, known)
  return nearest === undefined ? '' : `; did you mean "${nearest}"?`
}

/**
 * One problem per key of `object` that is not `known`, naming the key and the nearest known one. `hints` are names
 * offered as suggestions without being accepted here (e.g. "sources" beside a single config's keys).
 */
export function unknownKeyProblems(
  object: Record<string, unknown>,
  known: readonly string[],
  where: string,
  hints: readonly string[] = []
): string[] {
  return Object.keys(object)
    .filter((key) => !known.includes(key))
    .map((key) => `unknown key "${key}" in ${where}${didYouMean(key, [...known, ...hints])}`)
}

/** One problem per present key whose value its check refuses. */
export function valueProblems(
  object: Record<string, unknown>,
  checks: Readonly<Record<string, ValueCheck>>,
  where: string
): string[] {
  return Object.entries(checks).flatMap(([key, check]) => {
    if (object[key] === undefined) return []
    const problem = check(object[key])
    return problem ? [`"${key}" in ${where} ${problem}`] : []
  })
}

/**
 * Mapping keys must be fields of the sendEvent action, and keys of an object field given as a plain object (not a
 * directive such as @path) must be that field's properties: a misspelt field would otherwise be silently ignored.
 */
export function mappingProblems(mapping: Record<string, unknown>, where: string): string[] {
  const fieldNames = Object.keys(MAPPING_FIELDS)
  return Object.entries(mapping).flatMap(([name, value]) => {
    const field = MAPPING_FIELDS[name]
    if (!field) return [`unknown mapping field "${name}" in ${where}${didYouMean(name, fieldNames)}`]
    if (!field.properties || !isRecord(value) || isDirective(value)) return []
    const properties = Object.keys(field.properties)
    return Object.keys(value)
      .filter((key) => !properties.includes(key))
      .map((key) => `unknown mapping field "${name}.${key}" in ${where}${didYouMean(key, properties)}`)
  })
}

/** actions-core's check of the settings against the destination's schema, as a host runs it when they are saved. */
function schemaProblems(settings: Record<string, unknown>): string[] {
  try {
    // validateSettings coerces values in place; the caller's settings stay as written.
    new Destination(definition).validateSettings(structuredClone(settings) as never)
    return []
  } catch (error) {
    const details = [...((error as { errors?: Iterable<{ path?: string; message: string }> }).errors ?? [])]
    if (details.length === 0) return [(error as Error).message]
    return details.map(({ path, message }) => {
      const key = path?.replace(/^\$\.?/, '')
      return key ? `"${key}": ${message}` : message
    })
  }
}

/**
 * Every reason the destination would refuse these settings, each naming its key, before anything is sent: the
 * destination's schema (types, choices, required fields), then the rules it checks per request (pixel ID digits,
 * API version), which would otherwise fail every event one by one.
 */
export function settingsProblems(settings: Record<string, unknown>, where: string): string[] {
  const problems = schemaProblems(settings)
  if (settings.pixelId !== undefined && typeof settings.pixelId !== 'string') {
    // A 16-digit ID is past JSON numbers' exact range: it must be written in quotes.
    problems.push('"pixelId" must be a string of digits, in quotes')
  } else if (settings.pixelId !== undefined) {
    const problem = pixelIdProblem(settings.pixelId)
    if (problem) problems.push(`"pixelId": ${problem}`)
  }
  const apiVersion = apiVersionProblem(settings.apiVersion)
  if (apiVersion) problems.push(`"apiVersion": ${apiVersion}`)
  return problems.map((problem) => `invalid settings in ${where}: ${problem}`)
}
