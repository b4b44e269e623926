/**
 * Sends events to Meta in requests of at most batchSize and reports one result per event.
 *
 * Meta rejects a whole request when a single event in it is invalid and reports only a count on
 * success, so per-event results have to be reconstructed: a data error that names `$['data'][i]`
 * convicts that event and the rest is resent; a data error that names nobody is bisected.
 * Retrying transient failures is left to the caller, which reads each result's status.
 * About 250 lines because conviction, bisection and its bound are one algorithm over the same pending set.
 */
import { MAX_EVENTS_PER_REQUEST } from './contract/meta-constants'
import { forEachConcurrently } from './concurrency'
import { type ClassifiedError, classifyNetworkError } from './meta-errors'

export type SendOutcome =
  { ok: true; eventsReceived: number; fbtraceId?: string } | { ok: false; error: ClassifiedError }

export type DeliveryResult = { ok: true; fbtraceId?: string } | { ok: false; error: ClassifiedError }

export interface DeliveryOptions<E> {
  /** 1..1000 (Meta's maximum per request). */
  batchSize: number
  /** One HTTP request; must not throw (a throw is classified as a network error). */
  send: (events: E[]) => Promise<SendOutcome>
  /** Parallel requests for different chunks; default 2. */
  concurrency?: number
}

export interface DeliveryReport {
  /** results[i] belongs to events[i]. */
  results: DeliveryResult[]
  /** Every HTTP request made, including those spent isolating bad events. */
  requests: number
}

const DEFAULT_CONCURRENCY = 2
const MIN_ISOLATION_BUDGET = 2

/**
 * The most extra requests that isolating bad events in one rejected request of `requestSize` events
 * may spend, given how many bad events it has found so far: 2·⌈log₂ n⌉·(found + 1), at least 2.
 * Bisection reaches one bad event in ⌈log₂ n⌉ levels of two requests each, so the bound grows by
 * one such path per bad event found and stops a request whose failure no single event explains.
 */
export function isolationBudget(requestSize: number, badEventsFound: number): number {
  return Math.max(MIN_ISOLATION_BUDGET, 2 * ceilLog2(requestSize) * (badEventsFound + 1))
}

/** Send the events in order, in requests of at most batchSize; never throws. */
export async function deliver<E>(events: E[], options: DeliveryOptions<E>): Promise<DeliveryReport> {
  const results: (DeliveryResult | undefined)[] = new Array(events.length).fill(undefined)
  const counter = { requests: 0 }
  const sendOnce = guardSend(options.send, counter)
  const chunks = chunkPositions(events.length, normalizeBatchSize(options.batchSize))

  await forEachConcurrently(chunks, normalizeConcurrency(options.concurrency), async (positions) => {
    try {
      await deliverChunk(events, positions, sendOnce, results)
    } catch (unexpected) {
      // A bug here must not lose events silently: whatever is unresolved is reported as retryable.
      failUnresolved(results, positions, classifyNetworkError(unexpected))
    }
  })

  return { results: results.map(orUnresolvedError), requests: counter.requests }
}

type SendOnce<E> = (events: E[]) => Promise<SendOutcome>

/** Counts every request and turns a throw or a malformed answer into a failed outcome. */
function guardSend<E>(send: DeliveryOptions<E>['send'], counter: { requests: number }): SendOnce<E> {
  return async (events) => {
    counter.requests++
    try {
      const outcome = await send(events)
      return isSendOutcome(outcome) ? outcome : { ok: false, error: malformedOutcomeError() }
    } catch (thrown) {
      return { ok: false, error: classifyNetworkError(thrown) }
    }
  }
}

function isSendOutcome(value: unknown): value is SendOutcome {
  if (typeof value !== 'object' || value === null) return false
  const outcome = value as Record<string, unknown>
  if (outcome.ok === true) return Number.isSafeInteger(outcome.eventsReceived)
  return outcome.ok === false && typeof outcome.error === 'object' && outcome.error !== null
}

/**
 * One original request and, if Meta rejects it for bad data, the isolation of the bad events.
 * Segments are sent one after another (depth first), which keeps the request count within the
 * budget and avoids hammering Meta with a burst of retries for one batch.
 */
async function deliverChunk<E>(
  events: E[],
  positions: number[],
  sendOnce: SendOnce<E>,
  results: (DeliveryResult | undefined)[]
): Promise<void> {
  const isolation: Isolation = { pending: [positions], extraRequests: 0, badEventsFound: 0 }
  let isOriginalRequest = true

  while (isolation.pending.length > 0) {
    if (!isOriginalRequest && !withinBudget(isolation, positions.length)) break
    const segment = isolation.pending.pop() as number[]
    const outcome = await sendOnce(segment.map((position) => events[position]))
    if (!isOriginalRequest) isolation.extraRequests++
    isOriginalRequest = false

    if (outcome.ok) settle(results, segment, acknowledgedResult(outcome, segment.length))
    else if (isDataError(outcome.error)) isolateBadEvents(segment, outcome.error, isolation, results)
    else settle(results, segment, { ok: false, error: outcome.error })
  }

  if (isolation.lastDataError) failUnresolved(results, positions, notIsolatedError(isolation.lastDataError))
}

/** The isolation of bad events within one original request. */
interface Isolation {
  /** Segments (lists of positions in `events`) still to send; the last one is sent next. */
  pending: number[][]
  extraRequests: number
  badEventsFound: number
  lastDataError?: ClassifiedError
}

function withinBudget(isolation: Isolation, requestSize: number): boolean {
  return isolation.extraRequests < isolationBudget(requestSize, isolation.badEventsFound)
}

/**
 * After Meta rejected `segment` for bad data: convict the event Meta named (or the segment's only
 * event) and queue the rest, or, when nobody is named, queue both halves to bisect.
 */
function isolateBadEvents(
  segment: number[],
  error: ClassifiedError,
  isolation: Isolation,
  results: (DeliveryResult | undefined)[]
): void {
  isolation.lastDataError = error
  const named = namedPosition(error, segment) ?? (segment.length === 1 ? segment[0] : undefined)
  if (named === undefined) {
    const [firstHalf, secondHalf] = halves(segment)
    isolation.pending.push(secondHalf, firstHalf)
    return
  }
  results[named] = { ok: false, error }
  isolation.badEventsFound++
  const rest = segment.filter((position) => position !== named)
  if (rest.length > 0) isolation.pending.push(rest)
}

function isDataError(error: ClassifiedError): boolean {
  return error.kind === 'data' && !error.retryable
}

/** The position (in `events`) of the element Meta named, when the index fits this request. */
function namedPosition(error: ClassifiedError, segment: number[]): number | undefined {
  const index = error.eventIndex
  return index !== undefined && Number.isInteger(index) && index >= 0 && index < segment.length
    ? segment[index]
    : undefined
}

/** Success only when Meta counted every event sent; otherwise nobody knows which were dropped. */
function acknowledgedResult(outcome: Extract<SendOutcome, { ok: true }>, sent: number): DeliveryResult {
  if (outcome.eventsReceived === sent)
    return outcome.fbtraceId === undefined ? { ok: true } : { ok: true, fbtraceId: outcome.fbtraceId }
  return { ok: false, error: partialAcknowledgementError(outcome.eventsReceived, sent, outcome.fbtraceId) }
}

function partialAcknowledgementError(received: number, sent: number, fbtraceId?: string): ClassifiedError {
  return {
    status: 502,
    retryable: true,
    kind: 'transient',
    message:
      `Meta acknowledged ${received} of ${sent} events in this request; which events were dropped is unknown, ` +
      `so all ${sent} are reported as failed. Resending them is safe because Meta deduplicates by event_id.` +
      (fbtraceId === undefined ? '' : ` (fbtrace_id ${fbtraceId})`),
    ...(fbtraceId !== undefined && { fbtraceId })
  }
}

function notIsolatedError(lastDataError: ClassifiedError): ClassifiedError {
  // eventIndex is dropped: it named an element of some other request, not this event.
  const { eventIndex: _eventIndex, ...rest } = lastDataError
  return {
    ...rest,
    status: 400,
    retryable: false,
    kind: 'data',
    message: `Not isolated: Meta rejected a request containing this event: ${lastDataError.message}`
  }
}

function malformedOutcomeError(): ClassifiedError {
  return {
    status: 500,
    retryable: true,
    kind: 'unknown',
    message: 'The request to Meta ended without a usable outcome (a bug in the sender); the events were not confirmed.'
  }
}

function unresolvedError(): ClassifiedError {
  return {
    status: 500,
    retryable: true,
    kind: 'unknown',
    message: 'No outcome was recorded for this event (a bug in the delivery); it was not confirmed by Meta.'
  }
}

function settle(results: (DeliveryResult | undefined)[], positions: number[], result: DeliveryResult): void {
  for (const position of positions) results[position] = result
}

function failUnresolved(results: (DeliveryResult | undefined)[], positions: number[], error: ClassifiedError): void {
  for (const position of positions) {
    if (results[position] === undefined) results[position] = { ok: false, error }
  }
}

function orUnresolvedError(result: DeliveryResult | undefined): DeliveryResult {
  return result ?? { ok: false, error: unresolvedError() }
}

function halves<T>(items: T[]): [T[], T[]] {
  const middle = Math.ceil(items.length / 2)
  return [items.slice(0, middle), items.slice(middle)]
}

/** The original positions of each request, in order: [[0..size-1], [size..2·size-1], …]. */
function chunkPositions(count: number, size: number): number[][] {
  const chunks: number[][] = []
  for (let start = 0; start < count; start += size) {
    const end = Math.min(count, start + size)
    chunks.push(Array.from({ length: end - start }, (_, offset) => start + offset))
  }
  return chunks
}

function ceilLog2(n: number): number {
  let levels = 0
  while (2 ** levels < n) levels++
  return levels
}

function normalizeBatchSize(batchSize: number): number {
  if (!Number.isFinite(batchSize)) return MAX_EVENTS_PER_REQUEST
  return Math.min(MAX_EVENTS_PER_REQUEST, Math.max(1, Math.floor(batchSize)))
}

function normalizeConcurrency(concurrency: number | undefined): number {
  if (concurrency === undefined || !Number.isFinite(concurrency)) return DEFAULT_CONCURRENCY
  return Math.max(1, Math.floor(concurrency))
}
