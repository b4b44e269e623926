import type { LingerBatcher } from './batcher'
import type { Admission } from './limits'
import type { IngestSource, ServiceMetrics } from './metrics'
import { refusalReason } from './metrics'
import type { ServiceResult } from './outcome'
import type { EventResult } from '../runner/engine'
import { parseFql } from '@segment/destination-subscriptions'
import definition from '../destinations/meta-pixel'
import { STANDARD_EVENTS } from '../lib/contract/meta-constants'
import { eventNameKey } from '../lib/event-name'
import { subscribedEventNames } from '../runner/event-names'
import { SEGMENT_SINGLE_TYPES } from './segment'

/** What delivering one request's events needs from the service. */
export interface DeliveryContext {
  budgetMs: number
  metrics: ServiceMetrics
  /** One line to stderr per event refused for good. */
  log: (line: string) => void
}

type Timed<T> = { done: true; value: T } | { done: false }

/** `work`'s value if it settles within `ms`, else `{ done: false }` (the work itself goes on). */
async function within<T>(work: Promise<T>, ms: number): Promise<Timed<T>> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms)
  })
  try {
    return await Promise.race([work.then((value): Timed<T> => ({ done: true, value })), expired])
  } finally {
    clearTimeout(timer)
  }
}

function outOfTime(index: number, budgetMs: number): ServiceResult {
  const error = `not delivered within the service's time budget of ${budgetMs} ms; resend it (its event_id makes that safe)`
  return { index, status: 503, error, retryable: true, budget: true }
}

function admittedPositions(admission: Admission): number[] {
  return admission.events.flatMap((_event, index) => (admission.refused.has(index) ? [] : [index]))
}

function ingestionRefusals(admission: Admission): Map<number, ServiceResult> {
  const refusals = new Map<number, ServiceResult>()
  for (const [index, problem] of admission.refused) {
    refusals.set(index, { index, status: 400, error: problem.message, retryable: false, limit: problem.reason })
  }
  return refusals
}

function heldBack(index: number): ServiceResult {
  const error = 'not sent: other events of its upload were refused; resend it without them (the SDK does)'
  return { index, status: 400, error, retryable: true, heldBack: true }
}

/**
 * An Amplitude upload with an event refused for good is answered 400 naming it, and the SDK drops that event and
 * resends the others. Delivered now, they would be delivered again with the resend; so such an upload delivers
 * nothing: the refused events (at ingestion, or by a dry run of the mapping) are answered, the others are held back,
 * and the SDK's resend is their one delivery. Undefined when the upload has no refused event (deliver it as usual).
 * A lone event needs no dry run: refused, it leaves nothing to resend.
 */
export async function refuseMixedUpload(
  dryRun: (events: unknown[]) => Promise<EventResult[]>,
  admission: Admission
): Promise<ServiceResult[] | undefined> {
  const positions = admittedPositions(admission)
  if (positions.length === 0) return undefined
  const refusals = ingestionRefusals(admission)
  if (refusals.size === 0) {
    if (positions.length === 1) return undefined
    const mapped = await dryRun(positions.map((index) => admission.events[index]))
    mapped.forEach((result, position) => {
      const index = positions[position]
      if ('retryable' in result && !result.retryable) refusals.set(index, { ...result, index })
    })
    if (refusals.size === 0) return undefined
  }
  return admission.events.map((_event, index) => refusals.get(index) ?? heldBack(index))
}

/**
 * Delivers the admitted events of one request through its batcher and answers every event, in order: refused at
 * ingestion (400), or the engine's result, or, when the batch is not done within the time budget, retryable (503)
 * so the SDK resends before its own timeout gives up. Deliveries that finish after that are counted apart and
 * not answered, so the client hears of each event once.
 */
export async function deliverAdmitted(
  ctx: DeliveryContext,
  source: IngestSource,
  batcher: LingerBatcher,
  admission: Admission
): Promise<ServiceResult[]> {
  const positions = admittedPositions(admission)
  const submitted = batcher.submit(positions.map((index) => admission.events[index]))
  const timed = await within(submitted, ctx.budgetMs)
  if (!timed.done) void submitted.then((late) => ctx.metrics.deliveredAfterBudget(source, late))
  const results: ServiceResult[] = new Array(admission.events.length)
  for (const [index, refusal] of ingestionRefusals(admission)) results[index] = refusal
  positions.forEach((index, position) => {
    results[index] = timed.done ? { ...timed.value[position], index } : outOfTime(index, ctx.budgetMs)
  })
  return results
}

/**
 * Names a log line may carry: Segment's message types, Meta's standard events and the events the presets subscribe
 * to. Any other name is the sender's free text, which can hold personal data ("742 Evergreen Terrace" was seen by the
 * fuzz test), so it is logged as "(custom)".
 */
const LOGGABLE_NAMES = new Set(
  [
    ...SEGMENT_SINGLE_TYPES,
    ...STANDARD_EVENTS,
    ...(definition.presets ?? []).flatMap((preset) =>
      preset.type === 'automatic' ? subscribedEventNames(parseFql(preset.subscribe)) : []
    )
  ].map(eventNameKey)
)

/** The event's name for a log line: Segment's `event` or type, Amplitude's `event_type`, when it is a known one. */
function eventName(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined
  const record = event as Record<string, unknown>
  const name = [record.event, record.event_type, record.type].find((value) => typeof value === 'string')
  if (typeof name !== 'string') return undefined
  return LOGGABLE_NAMES.has(eventNameKey(name)) ? name : '(custom)'
}

/** Counts the answer and logs each event refused for good as one JSON line: index, name, status, reason. */
export function recordAnswer(
  ctx: DeliveryContext,
  source: IngestSource,
  keyId: string,
  events: unknown[],
  results: ServiceResult[]
): void {
  ctx.metrics.answered(source, results)
  for (const result of results) {
    if (!('retryable' in result) || result.retryable) continue
    const line = {
      refused: {
        source,
        key: keyId,
        index: result.index,
        event: eventName(events[result.index]),
        status: result.status,
        reason: refusalReason(result),
        error: result.error
      }
    }
    ctx.log(JSON.stringify(line))
  }
}
