import { eventTimeSeconds } from '../lib/contract/event-rules'
import { isRecord } from '../lib/is-record'
import { CUSTOMER_INFO_KEYS, HASHED_KEYS, isPresent, userDataLabel } from './customer-keys'
import { dedupStatuses, type DedupStatus } from './dedup'
import { matchEstimate, type MatchEstimate } from './match-quality'
import type { RunnerOutcome } from './outcomes'
import type { SandboxState } from './state'
import type { ReceivedEvent, RejectedRequest } from './types'

/**
 * The JSON the Test Events page renders (GET /__sandbox/view): one row per event the sandbox received and per event
 * a runner reported as refused, skipped or failed, newest first, modelled on Events Manager's Test Events tab.
 */

export type RowStatus = 'received' | 'deduplicated' | 'refused' | 'skipped' | 'failed'

export interface UserDataEntry {
  key: string
  /** Meta's label, e.g. "Email" for em. */
  label: string
  /** Meta accepts this key only as a SHA-256 hash. */
  hashed: boolean
  values: string[]
}

export interface EventRow {
  id: string
  status: RowStatus
  receivedAt: string
  eventTime?: string
  eventName: string
  eventId: string
  /** How the event arrived, e.g. "Server (Conversions API) · from Segment". */
  source: string
  testEventCode: string
  pixelId?: string
  partnerAgent?: string
  actionSource?: string
  url?: string
  customData?: Record<string, unknown>
  userData: UserDataEntry[]
  match?: MatchEstimate
  dedup?: { status: DedupStatus['status']; note: string }
  warnings: { field: string; reason: string }[]
  reason?: string
  httpStatus?: number
  /** The event as in the request's body: `data: [event]` with the request's test code and partner agent. */
  request?: Record<string, unknown>
}

export interface RejectedRow {
  receivedAt: string
  pixelId: string
  status: number
  code: string
  title: string
  message: string
  eventCount: number
}

export interface TestEventsView {
  version: number
  requests: number
  counts: Record<RowStatus, number> & { rejectedRequests: number }
  /** Newest first, at most MAX_VIEW_ROWS. */
  rows: EventRow[]
  rejected: RejectedRow[]
  eventNames: string[]
  testEventCodes: string[]
}

export const MAX_VIEW_ROWS = 500
const SOURCE_LABELS = { segment: 'Segment', amplitude: 'Amplitude' } as const

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : ''
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/** The event's time as Meta reads it (Unix seconds, or an ISO-8601 string it converts), as an ISO string. */
function isoSeconds(value: unknown): string | undefined {
  const seconds = eventTimeSeconds(value)
  return seconds === undefined ? undefined : iso(seconds * 1000)
}

export function userDataEntries(userData: unknown): UserDataEntry[] {
  if (!isRecord(userData)) return []
  return CUSTOMER_INFO_KEYS.filter((key) => isPresent(userData[key])).map((key) => {
    const value = userData[key]
    const values = (Array.isArray(value) ? value : [value]).map((item) => text(item))
    return { key, label: userDataLabel(key), hashed: HASHED_KEYS.includes(key), values }
  })
}

function sourceLabel(outcome: RunnerOutcome | undefined): string {
  const via = 'Server (Conversions API)'
  return outcome?.source ? `${via} · from ${SOURCE_LABELS[outcome.source]}` : via
}

function dedupNote(status: DedupStatus, received: readonly ReceivedEvent[]): string {
  if (status.status === 'no_event_id') return 'No event_id: Meta cannot deduplicate this event'
  if (status.status === 'kept') return 'Kept: first event with this event_name and event_id'
  const first = received[status.of]
  return `Duplicate of the event received ${iso(first.receivedAt)}: Meta keeps the first and discards this one`
}

/** Delivered-outcome reports, by event name and ID, consumed in order as received events claim them. */
function deliveredReports(outcomes: readonly RunnerOutcome[]): Map<string, RunnerOutcome[]> {
  const reports = new Map<string, RunnerOutcome[]>()
  for (const outcome of outcomes) {
    if (outcome.status !== 'delivered' || !outcome.eventId) continue
    const key = JSON.stringify([outcome.eventName ?? '', outcome.eventId])
    const list = reports.get(key)
    if (list) list.push(outcome)
    else reports.set(key, [outcome])
  }
  return reports
}

function receivedRows(received: readonly ReceivedEvent[], outcomes: readonly RunnerOutcome[]): EventRow[] {
  const statuses = dedupStatuses(
    received.map((item) => ({
      pixelId: item.pixelId,
      testEventCode: item.testEventCode,
      receivedAt: item.receivedAt,
      eventName: text(item.event.event_name),
      eventId: text(item.event.event_id)
    }))
  )
  const reports = deliveredReports(outcomes)
  return received.map((item, index) => {
    const { event } = item
    const eventName = text(event.event_name)
    const eventId = text(event.event_id)
    const report = eventId ? reports.get(JSON.stringify([eventName, eventId]))?.shift() : undefined
    const dedup = statuses[index]
    return {
      id: `r${index}`,
      status: dedup.status === 'duplicate' ? 'deduplicated' : 'received',
      receivedAt: iso(item.receivedAt),
      eventTime: isoSeconds(event.event_time),
      eventName,
      eventId,
      source: sourceLabel(report),
      testEventCode: item.testEventCode ?? '',
      pixelId: item.pixelId,
      partnerAgent: item.partnerAgent,
      actionSource: text(event.action_source) || undefined,
      url: text(event.event_source_url) || undefined,
      customData: isRecord(event.custom_data) ? event.custom_data : undefined,
      userData: userDataEntries(event.user_data),
      match: matchEstimate(event.user_data, event.action_source),
      dedup: { status: dedup.status, note: dedupNote(dedup, received) },
      warnings: report?.diagnostics ?? [],
      request: {
        data: [event],
        ...(item.testEventCode !== undefined && { test_event_code: item.testEventCode }),
        ...(item.partnerAgent !== undefined && { partner_agent: item.partnerAgent })
      }
    }
  })
}

function outcomeRows(outcomes: readonly RunnerOutcome[]): EventRow[] {
  return outcomes.flatMap((outcome, index): EventRow[] =>
    outcome.status === 'delivered'
      ? []
      : [
          {
            id: `o${index}`,
            status: outcome.status,
            receivedAt: iso(outcome.receivedAt),
            eventName: outcome.inputName ?? '',
            eventId: outcome.inputId ?? '',
            source: `Runner (not sent to Meta)${outcome.source ? ` · from ${SOURCE_LABELS[outcome.source]}` : ''}`,
            testEventCode: '',
            userData: [],
            warnings: outcome.diagnostics ?? [],
            reason: outcome.reason,
            httpStatus: outcome.httpStatus
          }
        ]
  )
}

function rejectedRow(request: RejectedRequest): RejectedRow {
  const { error } = request
  const code = text(error.code)
  const subcode = text(error.error_subcode)
  return {
    receivedAt: iso(request.receivedAt),
    pixelId: request.pixelId,
    status: request.status,
    code: subcode ? `${code} / ${subcode}` : code,
    title: text(error.error_user_title),
    message: text(error.error_user_msg) || text(error.message),
    eventCount: request.eventCount
  }
}

function countBy(rows: readonly EventRow[]): Record<RowStatus, number> {
  const counts: Record<RowStatus, number> = { received: 0, deduplicated: 0, refused: 0, skipped: 0, failed: 0 }
  for (const row of rows) counts[row.status]++
  return counts
}

export function testEventsView(state: SandboxState, maxRows = MAX_VIEW_ROWS): TestEventsView {
  const all = [...receivedRows(state.received, state.outcomes), ...outcomeRows(state.outcomes)]
  // Newest first; ties keep arrival order reversed, as the Test Events tab lists them.
  const rows = all
    .map((row, position) => ({ row, position }))
    .sort((a, b) => b.row.receivedAt.localeCompare(a.row.receivedAt) || b.position - a.position)
    .map(({ row }) => row)
  return {
    version: state.version,
    requests: state.requests,
    counts: { ...countBy(all), rejectedRequests: state.rejected.length },
    rows: rows.slice(0, maxRows),
    rejected: state.rejected.slice(-maxRows).reverse().map(rejectedRow),
    eventNames: [...new Set(all.map((row) => row.eventName).filter(Boolean))].sort(),
    testEventCodes: [...new Set(all.map((row) => row.testEventCode).filter(Boolean))].sort()
  }
}
