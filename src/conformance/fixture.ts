/**
 * The conformance fixture format: one JSON file per case, read from conformance/fixtures/ (shipped) or a user's folder by the runner.
 * A fixture can be added without code; this module only checks its shape and explains what is wrong.
 */
import type { InputSource } from '../runner/input'
import type { RoutingConfig } from '../runner/routing'
import { isRecord } from '../lib/is-record'

/** What one input must become. Several keys may be combined; each one present is checked. */
export interface ResultExpectation {
  /** The exact server event (Engine.map), or the event Meta was sent (Engine.send). */
  event?: Record<string, unknown>
  /** The result's status: 200 for a mapped or delivered event, else the error status. */
  status?: number
  /** A substring of the error message. */
  error?: string
  retryable?: boolean
  /** A substring of the reason the event was skipped. */
  skipped?: string
  /** The exact diagnostics (what was left out and why); [] means none. */
  diagnostics?: { field: string; reason: string }[]
}

export interface FixtureExpectation extends ResultExpectation {
  /** The exact body of the one request the sandbox (standing in for Meta) received. */
  request?: Record<string, unknown>
  /** The exact bodies of every request the sandbox (standing in for Meta) received, in order. */
  requests?: Record<string, unknown>[]
  /** One expectation per input, in order. */
  results?: ResultExpectation[]
}

/** What Meta answers to every request of the fixture, in place of the sandbox's own answer. */
export interface MetaResponse {
  status: number
  headers?: Record<string, string>
  /** An object is sent as JSON; a string is sent as it is (HTML, garbage, ""). Absent means an empty body. */
  body?: unknown
}

export interface Fixture {
  name: string
  description?: string
  /**
   * The preset the input is written for. The suite runs every preset, as a host subscribed to all of them does;
   * the preset tests (test/destinations/meta-pixel/presets.test.ts) also run the input through this one alone.
   */
  preset?: string
  /** ISO time at which Date.now is frozen while the fixture runs. */
  now: string
  source: InputSource
  settings?: Record<string, unknown>
  mapping?: Record<string, unknown>
  amplitudeEventMap?: Record<string, string> | string
  /** The runner's choice of events and names: presets, subscriptions, eventMap, customEvents, consent. */
  config?: Omit<RoutingConfig, 'mapping'>
  inputs: unknown[]
  metaResponse?: MetaResponse
  /** map: Engine.map (dry run); send: Engine.send against the sandbox. Inferred when absent. */
  run: 'map' | 'send'
  expected: FixtureExpectation
}

export const DEFAULT_NOW = '2026-11-22T08:00:00.000Z'

const TOP_LEVEL_KEYS = new Set([
  'name',
  'description',
  'preset',
  'now',
  'source',
  'settings',
  'mapping',
  'amplitudeEventMap',
  'config',
  'input',
  'inputs',
  'metaResponse',
  'run',
  'expected'
])
const RESULT_KEYS = new Set(['event', 'status', 'error', 'retryable', 'skipped', 'diagnostics'])
const EXPECTED_KEYS = new Set([...RESULT_KEYS, 'request', 'requests', 'results'])
const SOURCES = new Set(['auto', 'segment', 'amplitude'])

export type ParsedFixture = { ok: true; fixture: Fixture } | { ok: false; error: string; name?: string }

// Keys starting with "$" or "_" are comments, so a fixture can explain itself beyond its description.
function isComment(key: string): boolean {
  return key.startsWith('$') || key.startsWith('_')
}

function unknownKeys(record: Record<string, unknown>, allowed: Set<string>): string[] {
  return Object.keys(record).filter((key) => !allowed.has(key) && !isComment(key))
}

function checkResultExpectation(value: unknown, where: string, allowed = RESULT_KEYS): string | undefined {
  if (!isRecord(value)) return `${where} must be an object`
  const unknown = unknownKeys(value, allowed)
  if (unknown.length > 0) return `${where} has unknown keys: ${unknown.join(', ')}`
  if (value.event !== undefined && !isRecord(value.event)) return `${where}.event must be an object`
  if (value.status !== undefined && typeof value.status !== 'number') return `${where}.status must be a number`
  if (value.error !== undefined && typeof value.error !== 'string') return `${where}.error must be a string`
  if (value.retryable !== undefined && typeof value.retryable !== 'boolean') {
    return `${where}.retryable must be a boolean`
  }
  if (value.skipped !== undefined && typeof value.skipped !== 'string') return `${where}.skipped must be a string`
  if (value.diagnostics !== undefined && !Array.isArray(value.diagnostics))
    return `${where}.diagnostics must be an array`
  return undefined
}

function checkExpected(expected: unknown, inputCount: number): string | undefined {
  const problem = checkResultExpectation(expected, 'expected', EXPECTED_KEYS)
  if (problem) return problem
  const record = expected as Record<string, unknown>
  if (Object.keys(record).filter((key) => !isComment(key)).length === 0) return 'expected says nothing'
  if (record.request !== undefined && !isRecord(record.request)) return 'expected.request must be an object'
  if (record.requests !== undefined && (!Array.isArray(record.requests) || !record.requests.every(isRecord))) {
    return 'expected.requests must be an array of objects'
  }
  if (record.results !== undefined) {
    if (!Array.isArray(record.results)) return 'expected.results must be an array'
    if (record.results.length !== inputCount) {
      return `expected.results has ${record.results.length} entries for ${inputCount} inputs`
    }
    for (const [index, result] of record.results.entries()) {
      const resultProblem = checkResultExpectation(result, `expected.results[${index}]`)
      if (resultProblem) return resultProblem
    }
  }
  return undefined
}

function checkMetaResponse(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (!isRecord(value)) return 'metaResponse must be an object'
  if (typeof value.status !== 'number' || !Number.isInteger(value.status) || value.status < 100 || value.status > 599) {
    return 'metaResponse.status must be an HTTP status'
  }
  if (value.headers !== undefined) {
    if (!isRecord(value.headers) || !Object.values(value.headers).every((header) => typeof header === 'string')) {
      return 'metaResponse.headers must map header names to strings'
    }
  }
  return undefined
}

function checkOptionalRecord(raw: Record<string, unknown>, key: string): string | undefined {
  return raw[key] !== undefined && !isRecord(raw[key]) ? `${key} must be an object` : undefined
}

/** A fixture from parsed JSON, or what is wrong with it. */
export function parseFixture(raw: unknown): ParsedFixture {
  if (!isRecord(raw)) return { ok: false, error: 'a fixture must be a JSON object' }
  const name = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : undefined
  const fail = (error: string): ParsedFixture => ({ ok: false, error, name })
  if (!name) return fail('name must be a non-empty string')
  const unknown = unknownKeys(raw, TOP_LEVEL_KEYS)
  if (unknown.length > 0) return fail(`unknown keys: ${unknown.join(', ')}`)
  if (raw.description !== undefined && typeof raw.description !== 'string') return fail('description must be a string')
  if (raw.preset !== undefined && typeof raw.preset !== 'string') return fail('preset must be the name of a preset')
  const now = raw.now ?? DEFAULT_NOW
  if (typeof now !== 'string' || Number.isNaN(Date.parse(now))) return fail('now must be an ISO date-time')
  const source = raw.source ?? 'auto'
  if (typeof source !== 'string' || !SOURCES.has(source)) return fail('source must be auto, segment or amplitude')
  const recordProblem =
    checkOptionalRecord(raw, 'settings') ??
    checkOptionalRecord(raw, 'mapping') ??
    checkOptionalRecord(raw, 'config') ??
    checkMetaResponse(raw.metaResponse)
  if (recordProblem) return fail(recordProblem)
  const eventMap = raw.amplitudeEventMap
  if (eventMap !== undefined && typeof eventMap !== 'string' && !isRecord(eventMap)) {
    return fail('amplitudeEventMap must be an object or the text form of the setting')
  }
  if ((raw.input === undefined) === (raw.inputs === undefined)) return fail('give exactly one of input and inputs')
  if (raw.inputs !== undefined && (!Array.isArray(raw.inputs) || raw.inputs.length === 0)) {
    return fail('inputs must be a non-empty array')
  }
  const inputs = raw.inputs !== undefined ? (raw.inputs as unknown[]) : [raw.input]
  const expectedProblem = checkExpected(raw.expected, inputs.length)
  if (expectedProblem) return fail(expectedProblem)
  const expected = raw.expected as FixtureExpectation
  if (raw.run !== undefined && raw.run !== 'map' && raw.run !== 'send') return fail('run must be map or send')
  const sends = expected.request !== undefined || expected.requests !== undefined || raw.metaResponse !== undefined
  const run = (raw.run as Fixture['run'] | undefined) ?? (sends ? 'send' : 'map')
  if (run === 'map' && sends) return fail('a dry run (run: map) sends no request, so it cannot expect one')
  return {
    ok: true,
    fixture: {
      name,
      description: raw.description as string | undefined,
      preset: raw.preset as string | undefined,
      now,
      source: source as InputSource,
      settings: raw.settings as Record<string, unknown> | undefined,
      mapping: raw.mapping as Record<string, unknown> | undefined,
      amplitudeEventMap: eventMap as Fixture['amplitudeEventMap'],
      config: raw.config as Fixture['config'],
      inputs,
      metaResponse: raw.metaResponse as MetaResponse | undefined,
      run,
      expected
    }
  }
}
