import { isRecord } from '../lib/is-record'
import { parseJsonList } from './json-list'

/**
 * What a runner reports about each event it settled, so the page can show what never reached /events (refused or
 * skipped events, with their reasons) and what the destination left out of delivered ones (diagnostics). Reports
 * carry no customer information: names, IDs and reasons only.
 */
export interface RunnerOutcome {
  status: 'delivered' | 'refused' | 'skipped' | 'failed'
  receivedAt: number
  /** The input's format. */
  source?: 'segment' | 'amplitude'
  /** The input's own event name (Segment `event` or call type, Amplitude `event_type`) and ID. */
  inputName?: string
  inputId?: string
  /** The CAPI event's name and ID, for delivered events: how a report finds its received event. */
  eventName?: string
  eventId?: string
  httpStatus?: number
  reason?: string
  retryable?: boolean
  /** What the destination left out of the event, and why. */
  diagnostics?: { field: string; reason: string }[]
}

/** Outcomes kept, oldest dropped first, so a long-running sandbox keeps flat memory. */
export const MAX_OUTCOMES = 5000
const MAX_TEXT = 2000
const STATUSES = new Set(['delivered', 'refused', 'skipped', 'failed'])
const SOURCES = new Set(['segment', 'amplitude'])

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value.slice(0, MAX_TEXT) : undefined
}

function diagnosticsOf(value: unknown): RunnerOutcome['diagnostics'] {
  if (!Array.isArray(value)) return undefined
  return value
    .filter(isRecord)
    .map((item) => ({ field: text(item.field) ?? '', reason: text(item.reason) ?? '' }))
    .filter((item) => item.field !== '' || item.reason !== '')
}

function outcomeOf(value: unknown, index: number, now: number): RunnerOutcome | string {
  if (!isRecord(value)) return `Outcome ${index}: must be an object`
  if (typeof value.status !== 'string' || !STATUSES.has(value.status)) {
    return `Outcome ${index}: status must be delivered, refused, skipped or failed`
  }
  const outcome: RunnerOutcome = {
    status: value.status as RunnerOutcome['status'],
    receivedAt: typeof value.receivedAt === 'number' && Number.isFinite(value.receivedAt) ? value.receivedAt : now
  }
  if (typeof value.source === 'string' && SOURCES.has(value.source)) outcome.source = value.source as 'segment'
  for (const key of ['inputName', 'inputId', 'eventName', 'eventId', 'reason'] as const) {
    const field = text(value[key])
    if (field !== undefined) outcome[key] = field
  }
  if (typeof value.httpStatus === 'number') outcome.httpStatus = value.httpStatus
  if (typeof value.retryable === 'boolean') outcome.retryable = value.retryable
  const diagnostics = diagnosticsOf(value.diagnostics)
  if (diagnostics && diagnostics.length > 0) outcome.diagnostics = diagnostics
  return outcome
}

/** A JSON array of outcomes (or one), or the reason it is not one. */
export function parseOutcomes(body: string | undefined, now: number): RunnerOutcome[] | string {
  const list = parseJsonList(body, 'outcomes')
  if (typeof list === 'string') return list
  const outcomes: RunnerOutcome[] = []
  for (const [index, value] of list.entries()) {
    const outcome = outcomeOf(value, index, now)
    if (typeof outcome === 'string') return outcome
    outcomes.push(outcome)
  }
  return outcomes
}
