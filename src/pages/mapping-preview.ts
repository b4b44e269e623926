import { mapLine } from '../cli/results'
import { serverEventOf } from '../lib/capi-event'
import { isRecord } from '../lib/is-record'
import { dryRunConfigOf } from '../runner/config'
import type { RunnerConfig } from '../runner/config'
import { Engine } from '../runner/engine'
import { ingestOne } from '../runner/ingest'
import type { InputSource } from '../runner/input'
import { matchEstimate, type MatchEstimate } from '../sandbox/match-quality'
import { userDataEntries, type UserDataEntry } from '../sandbox/test-events'

/**
 * The mapping page's preview: the CAPI event one sample input becomes under the user's settings and mapping
 * overrides, computed exactly as `meta-pixel map` computes it (dry-run config, receipt-time stamping, Engine.map,
 * map's output line), plus the runner config file that reproduces it.
 */

export interface PreviewRequest {
  settings?: Record<string, unknown>
  mapping?: Record<string, unknown>
  amplitudeEventMap?: Record<string, string> | string
  source?: InputSource
  input: unknown
}

export interface PreviewResult {
  /** map's output line for the input: {index, event} | {index, status, error} | {index, skipped}. */
  line: Record<string, unknown>
  /** The preset (subscription) the input matched, as the runner routes it. */
  preset?: string
  /** The input had no time, so it was given the time of the preview, as map does. */
  stamped: boolean
  match?: MatchEstimate
  userData: UserDataEntry[]
  diagnostics: { field: string; reason: string }[]
  /** A --config file for map, send and serve that reproduces this preview. */
  config: Record<string, unknown>
}

const SOURCES = new Set(['auto', 'segment', 'amplitude'])

/** Settings as a config file holds them: no access token (it belongs in META_ACCESS_TOKEN), no empty values. */
function exportedSettings(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings).filter(([key, value]) => key !== 'accessToken' && value !== '' && value !== undefined)
  )
}

/** The Amplitude event map is a setting in the definition but a config entry of its own for the runner. */
function eventMapOf(request: PreviewRequest): PreviewRequest['amplitudeEventMap'] {
  const fromSettings = request.settings?.amplitudeEventMap
  return request.amplitudeEventMap ?? (typeof fromSettings === 'string' ? fromSettings : undefined)
}

function settingsOf(request: PreviewRequest): Record<string, unknown> {
  const { amplitudeEventMap: _eventMap, ...settings } = request.settings ?? {}
  return exportedSettings(settings)
}

export function exportedConfig(request: PreviewRequest): Record<string, unknown> {
  const config: Record<string, unknown> = settingsOf(request)
  if (request.mapping && Object.keys(request.mapping).length > 0) config.mapping = request.mapping
  const eventMap = eventMapOf(request)
  if (typeof eventMap === 'string' ? eventMap.trim() !== '' : eventMap && Object.keys(eventMap).length > 0) {
    config.amplitudeEventMap = eventMap
  }
  return config
}

/** The exported config, checked as `map --config` checks it: the preview is what that file gives, or its error. */
function runnerConfig(request: PreviewRequest): RunnerConfig {
  return dryRunConfigOf(exportedConfig(request), 'the mapping preview')
}

/** Whether the ingestion front gave the input a time it did not carry (Segment's timestamp, Amplitude's time). */
function wasStamped(original: unknown, ingested: unknown): boolean {
  if (!isRecord(original) || !isRecord(ingested)) return false
  return ingested.timestamp !== original.timestamp || ingested.time !== original.time
}

/** The presets sample events route to under the default configuration (no overrides, no Amplitude map). */
export function defaultPresetsOf(inputs: unknown[]): (string | undefined)[] {
  const engine = new Engine(runnerConfig({ input: undefined }))
  return engine.prepare(inputs, 'auto').map((prepared) => prepared.route)
}

/** A problem with the request itself (not with the event), as a message; else undefined. */
export function previewRequestProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'the body must be a JSON object'
  if (!('input' in body)) return 'no input event'
  if (body.settings !== undefined && !isRecord(body.settings)) return 'settings must be an object'
  if (body.mapping !== undefined && !isRecord(body.mapping)) return 'mapping must be an object'
  if (body.source !== undefined && !SOURCES.has(String(body.source))) return 'source must be auto, segment or amplitude'
  return undefined
}

/** Throws when the settings are invalid (as `map` exits 2), with actions-core's message. */
export async function previewMapping(request: PreviewRequest, now: Date = new Date()): Promise<PreviewResult> {
  const source = request.source ?? 'auto'
  const config = runnerConfig(request)
  const engine = new Engine(config)
  const ingested = ingestOne(request.input, source, { receivedAt: now.getTime() })
  const input = ingested.input
  // Prepared, not only mapped: the route that mapping took names the preset, so the input is routed once.
  const [{ result, route }] = engine.prepare([input], [ingested.source])
  const line = JSON.parse(mapLine(result)) as Record<string, unknown>
  const event = 'event' in result ? (serverEventOf(result.event) as unknown as Record<string, unknown>) : undefined
  const diagnostics = (result as { diagnostics?: PreviewResult['diagnostics'] }).diagnostics ?? []
  return {
    line,
    preset: route,
    stamped: wasStamped(request.input, input),
    match: event ? matchEstimate(event.user_data, event.action_source) : undefined,
    userData: event ? userDataEntries(event.user_data) : [],
    diagnostics,
    config: exportedConfig(request)
  }
}
