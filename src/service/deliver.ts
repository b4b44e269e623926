import type { LingerBatcher } from './batcher'
import type { Admission } from './limits'
import type { IngestSource, ServiceMetrics } from './metrics'
import { refusalReason } from './metrics'
import type { ServiceResult } from './outcome'
import type { Engine, EventResult, PreparedInput, PreparedInputs } from '../runner/engine'
import type { ReadAs } from '../runner/input'
import { parseFql } from '@segment/destination-subscriptions'
import definition from '../destinations/meta-pixel'
import { STANDARD_EVENTS } from '../lib/contract/meta-constants'
import { eventNameKey } from '../lib/event-name'
import { subscribedEventNames } from '../runner/event-names'
import { SEGMENT_SINGLE_TYPES } from './segment'

/** The engine's two phases: prepare (route, map, validate and build once) and deliver what was prepared. */
export type EnginePhases = Pick<Engine, 'prepare' | 'deliver'>

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

/** The admitted events of one request, prepared once: what its answer is checked on and what its delivery sends. */
export function prepareAdmitted(engine: EnginePhases, read: ReadAs, admission: Admission): PreparedInputs {
  return engine.prepare(
    admittedPositions(admission).map((index) => admission.events[index]),
    read
  )
}

const refusedForGood = (result: EventResult) => 'retryable' in result && !result.retryable

/**
 * An Amplitude upload with an event refused for good is answered 400 naming it, and the SDK drops that event and
 * resends the others. Delivered now, they would be delivered again with the resend; so such an upload delivers
 * nothing: the refused events (at ingestion, or by the mapping) are answered, the others are held back, and the
 * SDK's resend is their one delivery. Otherwise its events, prepared once, go to the batcher: the events it sends are
 * the ones that mapping built, not a second mapping of them.
 */
export async function deliverUpload(
  ctx: DeliveryContext,
  engine: EnginePhases,
  batcher: LingerBatcher<PreparedInput>,
  admission: Admission
): Promise<ServiceResult[]> {
  const startedAt = performance.now()
  const refusals = ingestionRefusals(admission)
  const positions = admittedPositions(admission)
  // Events refused at ingestion already hold the others back: those need not be mapped at all.
  if (refusals.size > 0 && positions.length > 0) return refusedOrHeldBack(admission, refusals)
  const prepared = prepareAdmitted(engine, 'amplitude', admission)
  prepared.forEach(({ result }, position) => {
    const index = positions[position]
    if (refusedForGood(result)) refusals.set(index, { ...result, index })
  })
  if (refusals.size > 0) {
    // The refused events are settled: delivering only them makes no request and reports them as the engine does.
    await engine.deliver(prepared.filter(({ result }) => refusedForGood(result)))
    return refusedOrHeldBack(admission, refusals)
  }
  return deliverAdmitted(ctx, 'amplitude', batcher, admission, prepared, startedAt)
}

function refusedOrHeldBack(admission: Admission, refusals: Map<number, ServiceResult>): ServiceResult[] {
  return admission.events.map((_event, index) => refusals.get(index) ?? heldBack(index))
}

/**
 * Delivers the admitted events of one request, prepared (prepareAdmitted) since `startedAt`, through its batcher and
 * answers every event, in order: refused at ingestion (400), or the engine's result, or, when the batch is not done
 * within the time budget (counted from `startedAt`), retryable (503) so the SDK resends before its own timeout gives
 * up. Deliveries that finish after that are counted apart and not answered, so the client hears of each event once.
 */
export async function deliverAdmitted(
  ctx: DeliveryContext,
  source: IngestSource,
  batcher: LingerBatcher<PreparedInput>,
  admission: Admission,
  prepared: PreparedInputs,
  startedAt: number
): Promise<ServiceResult[]> {
  const positions = admittedPositions(admission)
  const submitted = batcher.submit(prepared)
  const timed = await within(submitted, Math.max(0, ctx.budgetMs - (performance.now() - startedAt)))
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
