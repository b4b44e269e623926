/** Runs one fixture through the runner's Engine, the same definition and actions-core pipeline a host uses. */
import { parseEventMap } from '../lib/amplitude'
import { serverEventOf } from '../lib/capi-event'
import type { Settings } from '../destinations/meta-pixel'
import { Engine } from '../runner/engine'
import type { EventResult } from '../runner/engine'
import { firstDifference, show } from './diff'
import type { Fixture, ResultExpectation } from './fixture'
import type { RecordingGraph } from './graph'

/** The settings every fixture starts from (those of the destination tests); a fixture's `settings` override them. */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = Object.freeze({
  pixelId: '123456789012345',
  accessToken: 'EAAB-test-token-never-printed',
  partnerAgent: 'acme-capi-plugin-1.0.0',
  apiVersion: 'v26.0',
  defaultActionSource: 'website'
})

export type FixtureOutcome = { passed: true } | { passed: false; reason: string }

const RESULT_KEYS: (keyof ResultExpectation)[] = ['event', 'status', 'error', 'retryable', 'skipped', 'diagnostics']

const passed: FixtureOutcome = { passed: true }
const failed = (reason: string): FixtureOutcome => ({ passed: false, reason })

/** What every fixture starts from: the reference settings above, or a user's configuration. */
export interface BaseConfig {
  settings: Readonly<Record<string, unknown>>
  /** Mapping overrides applied when the fixture names none. */
  mapping?: Record<string, unknown>
  /** Amplitude event map used when neither the fixture nor its settings give one. */
  amplitudeEventMap?: Record<string, string>
}

export const REFERENCE_CONFIG: BaseConfig = { settings: DEFAULT_SETTINGS }

/** Settings overrides; a null value removes the base value (e.g. `"partnerAgent": null`). */
export function fixtureSettings(
  overrides: Record<string, unknown> = {},
  base: Readonly<Record<string, unknown>> = DEFAULT_SETTINGS
): Settings {
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete merged[key]
    else merged[key] = value
  }
  return merged as unknown as Settings
}

function eventMapOf(fixture: Fixture, settings: Settings, base: BaseConfig): Record<string, string> {
  const map = fixture.amplitudeEventMap ?? settings.amplitudeEventMap ?? base.amplitudeEventMap
  return typeof map === 'string' ? parseEventMap(map) : { ...(map ?? {}) }
}

/** Runs fn with Date.now frozen at iso, restoring the real clock afterwards. */
export async function withFrozenTime<T>(iso: string, fn: () => Promise<T>): Promise<T> {
  const realNow = Date.now
  const frozen = Date.parse(iso)
  Date.now = () => frozen
  try {
    return await fn()
  } finally {
    Date.now = realNow
  }
}

function describeResult(result: EventResult | undefined): string {
  if (!result) return 'no result'
  if ('skipped' in result) return `skipped: ${result.skipped}`
  if ('event' in result) return `${result.status} ${show(result.event)}`
  return `${result.status}${result.retryable ? ' retryable' : ''}: ${result.error}`
}

/** Why one result does not meet its expectation, or undefined when it does. */
export function checkResult(result: EventResult | undefined, expectation: ResultExpectation): string | undefined {
  const got = () => `got ${describeResult(result)}`
  if (!result) return 'no result'
  if (expectation.skipped !== undefined) {
    if (!('skipped' in result)) return `expected skipped "${expectation.skipped}" but ${got()}`
    if (!result.skipped.includes(expectation.skipped)) return `expected skipped "${expectation.skipped}" but ${got()}`
  }
  if (expectation.event !== undefined) {
    if (!('event' in result)) return `expected an event but ${got()}`
    const difference = firstDifference(serverEventOf(result.event), expectation.event, '$.event')
    if (difference) return difference
  }
  if (expectation.status !== undefined) {
    if (!('status' in result) || result.status !== expectation.status) {
      return `expected status ${expectation.status} but ${got()}`
    }
  }
  if (expectation.error !== undefined) {
    if (!('error' in result)) return `expected error "${expectation.error}" but ${got()}`
    if (!result.error.includes(expectation.error)) return `expected error "${expectation.error}" but ${got()}`
  }
  if (expectation.diagnostics !== undefined) {
    const diagnostics = 'diagnostics' in result ? (result.diagnostics ?? []) : []
    const difference = firstDifference(diagnostics, expectation.diagnostics, '$.diagnostics')
    if (difference) return difference
  }
  if (expectation.retryable !== undefined) {
    if (!('retryable' in result) || result.retryable !== expectation.retryable) {
      return `expected retryable ${expectation.retryable} but ${got()}`
    }
  }
  return undefined
}

function topLevelExpectation(fixture: Fixture): ResultExpectation | undefined {
  const entries = RESULT_KEYS.filter((key) => fixture.expected[key] !== undefined).map((key) => [
    key,
    fixture.expected[key]
  ])
  return entries.length > 0 ? (Object.fromEntries(entries) as ResultExpectation) : undefined
}

function checkResults(fixture: Fixture, results: EventResult[]): string | undefined {
  if (results.length !== fixture.inputs.length || results.some((result) => result === undefined)) {
    return `expected one result per input (${fixture.inputs.length}) but got ${results.filter(Boolean).length}`
  }
  const every = topLevelExpectation(fixture)
  const label = (index: number) => (fixture.inputs.length > 1 ? `input ${index}: ` : '')
  for (const [index, result] of results.entries()) {
    if (result.index !== index) return `${label(index)}result carries index ${result.index}`
    for (const expectation of [every, fixture.expected.results?.[index]]) {
      const problem = expectation && checkResult(result, expectation)
      if (problem) return `${label(index)}${problem}`
    }
  }
  return undefined
}

function checkRequests(fixture: Fixture, graph: RecordingGraph | undefined): string | undefined {
  const { request, requests } = fixture.expected
  if (request === undefined && requests === undefined) return undefined
  const bodies = graph?.bodies ?? []
  if (request !== undefined) {
    if (bodies.length !== 1) return `expected exactly 1 request to Meta but got ${bodies.length}`
    const difference = firstDifference(bodies[0], request, '$.request')
    if (difference) return difference
  }
  if (requests !== undefined) {
    if (bodies.length !== requests.length) {
      return `expected ${requests.length} requests to Meta but got ${bodies.length}`
    }
    for (const [index, expected] of requests.entries()) {
      const difference = firstDifference(bodies[index], expected, `$.requests[${index}]`)
      if (difference) return difference
    }
  }
  return undefined
}

/**
 * Runs one fixture: Engine.map for a dry run, Engine.send against graph for a send (retries disabled, one request
 * at a time so the recorded requests come in a stable order); the engine is pointed at graph, nothing else is.
 */
export async function runFixture(
  fixture: Fixture,
  graph?: RecordingGraph,
  base: BaseConfig = REFERENCE_CONFIG
): Promise<FixtureOutcome> {
  return withFrozenTime(fixture.now, async () => {
    let engine: Engine
    try {
      const settings = fixtureSettings(fixture.settings, base.settings)
      engine = new Engine(
        {
          ...fixture.config,
          settings,
          mapping: fixture.mapping ?? base.mapping,
          amplitudeEventMap: eventMapOf(fixture, settings, base)
        },
        { retry: { maxAttempts: 1 }, concurrency: 1, sleep: async () => undefined, graphUrl: graph?.url }
      )
    } catch (error) {
      return failed(`the engine refused the fixture's configuration: ${(error as Error).message}`)
    }
    let results: EventResult[]
    if (fixture.run === 'send') {
      if (!graph) return failed('a send fixture needs the recording Graph API (the sandbox)')
      graph.reset(fixture.metaResponse)
      results = (await engine.send(fixture.inputs, fixture.source)).results
    } else {
      results = await engine.map(fixture.inputs, fixture.source)
    }
    const problem = checkResults(fixture, results) ?? checkRequests(fixture, graph)
    return problem ? failed(problem) : passed
  }).catch((error: unknown) => failed(`threw ${error instanceof Error ? error.message : String(error)}`))
}
