/**
 * The engine: inputs to per-event results. Routing picks each event's mapping, the hosted action (action.ts) maps
 * and sends it exactly as a host would, and the engine batches, retries and keeps one result per input, in order.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { SegmentEvent } from '@segment/actions-core'
import type { MetaRequestObserver } from '../destinations/meta-pixel'
import type { EventOutcome } from '../destinations/meta-pixel/sendEvent/send'
import type { Payload } from '../destinations/meta-pixel/sendEvent/payload'
import { MAX_EVENTS_PER_REQUEST } from '../lib/capi-event'
import { forEachConcurrently } from '../lib/concurrency'
import { groupBy } from '../lib/group-by'
import { HostedAction } from './action'
import { failure, resultOf } from './event-result'
import type { EventResult } from './event-result'
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from './backoff'
import type { RetryPolicy } from './backoff'
import type { RunnerConfig } from './config'
import { adaptInput } from './input'
import type { InputSource, ReadAs } from './input'
import { RequestSlots } from './request-slots'

export type { EventResult } from './event-result'
import { EventRouter } from './routing'
import type { Route } from './routing'

export interface SendReport {
  results: EventResult[]
  /** HTTP requests made to Meta (or the sandbox) by this call, retries included. */
  requests: number
}

export interface EngineOptions {
  retry?: Partial<RetryPolicy>
  /** Requests to Meta in flight at once, in total, whatever the layers below do. */
  concurrency?: number
  /** A run's request slots shared with other engines (worker threads); default `concurrency` slots of its own. */
  slots?: RequestSlots
  /** Base URL of the Graph API (a sandbox, a fake); default META_GRAPH_URL, else https://graph.facebook.com. */
  graphUrl?: string
  /** Told of every request this engine makes to Meta. */
  onRequest?: MetaRequestObserver
  sleep?: (ms: number) => Promise<void>
  onProgress?: (settled: number, total: number) => void
  /** Called once per input when send() settles it (delivered, refused, skipped or failed for good), with the input. */
  onOutcome?: (result: EventResult, input: unknown) => void
  /** Timeout of each request to Meta (actions-core's default is 10 s); the ingest service fits it in its budget. */
  requestTimeoutMs?: number
}

/** One source for every input, or (from the ingest front, which detected each once) one per input. */
export type Sources = InputSource | readonly ReadAs[]

/** Requests to Meta in flight at once. */
export const DEFAULT_CONCURRENCY = 4

interface RoutedEvent {
  index: number
  event: SegmentEvent
  route: Route
}

/** One routed event whose payload the action accepted, waiting to be built or sent. */
interface PreparedEvent {
  index: number
  payload: Payload
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size))
  return chunks
}

// The mapping's batch_size caps a request; one send call of at most that many events makes its requests
// one after another, so batches in flight and request slots agree.
function batchSizeOf(route: Route): number {
  const requested = Number(route.mapping.batch_size ?? MAX_EVENTS_PER_REQUEST)
  return Number.isFinite(requested)
    ? Math.min(MAX_EVENTS_PER_REQUEST, Math.max(1, Math.floor(requested)))
    : MAX_EVENTS_PER_REQUEST
}

/**
 * Runs events through the Meta Pixel destination the way a host does: presets as subscriptions matched with
 * actions-core's FQL, then the sendEvent action per subscription, in batches of up to 1,000 events.
 * Each engine has its own Graph target and request observer: nothing is shared through the process.
 */
export class Engine {
  private readonly router: EventRouter
  private readonly amplitudeEventMap: Record<string, string>
  private readonly action: HostedAction
  private readonly policy: RetryPolicy
  private readonly sleep: (ms: number) => Promise<void>
  private readonly concurrency: number
  /** The request count of the send call in whose async context a request is made. */
  private readonly calls = new AsyncLocalStorage<{ requests: number }>()

  constructor(
    config: RunnerConfig,
    private readonly options: EngineOptions = {}
  ) {
    this.router = new EventRouter(config, config.amplitudeEventMap)
    this.amplitudeEventMap = EventRouter.amplitudeEventMap(config, config.amplitudeEventMap)
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
    this.sleep = options.sleep ?? sleepFor
    const slots = options.slots ?? new RequestSlots(options.concurrency ?? DEFAULT_CONCURRENCY)
    this.concurrency = slots.limit
    // Settings are checked once, as a host does when they are saved, instead of once per batch.
    this.action = new HostedAction(config.settings, {
      graph: { graphUrl: options.graphUrl, onRequest: (record) => this.observe(record) },
      slots,
      requestTimeoutMs: options.requestTimeoutMs
    })
  }

  /** Maps every input to the server event Meta would receive: the send path, stopped before the request. */
  async map(inputs: unknown[], source: Sources = 'auto'): Promise<EventResult[]> {
    const { results, routed } = this.route(inputs, source)
    for (const batch of this.batchesOf(routed)) {
      const prepared = this.prepare(batch, results)
      const outcomes = this.action.build(prepared.map((item) => item.payload))
      prepared.forEach((item, position) => (results[item.index] = resultOf(item.index, outcomes[position])))
    }
    return results
  }

  /** Delivers every input, retrying retryable failures with backoff; one result per input, in order. */
  async send(inputs: unknown[], source: Sources = 'auto'): Promise<SendReport> {
    const call = { requests: 0 }
    const results = await this.calls.run(call, () => this.deliverAll(inputs, source))
    if (this.options.onOutcome) for (const result of results) this.options.onOutcome(result, inputs[result.index])
    return { results, requests: call.requests }
  }

  private observe(record: Parameters<MetaRequestObserver>[0]): void {
    const call = this.calls.getStore()
    if (call) call.requests++
    this.options.onRequest?.(record)
  }

  private async deliverAll(inputs: unknown[], source: Sources): Promise<EventResult[]> {
    const { results, routed } = this.route(inputs, source)
    let settled = results.filter(Boolean).length
    this.options.onProgress?.(settled, inputs.length)
    await forEachConcurrently(this.batchesOf(routed), this.concurrency, async (batch) => {
      const prepared = this.prepare(batch, results)
      for (const result of await this.deliverBatch(prepared)) results[result.index] = result
      settled += batch.length
      this.options.onProgress?.(settled, inputs.length)
    })
    return results
  }

  /** The batch's payloads; an event the action refuses gets its result here and goes no further. */
  private prepare(batch: RoutedEvent[], results: EventResult[]): PreparedEvent[] {
    const prepared = this.action.prepare(
      batch[0].route.mapping,
      batch.map((item) => item.event)
    )
    const accepted: PreparedEvent[] = []
    prepared.forEach((answer, position) => {
      const { index } = batch[position]
      if (answer.ok) accepted.push({ index, payload: answer.payload })
      else results[index] = { index, status: 400, error: answer.error, retryable: false }
    })
    return accepted
  }

  /** One batch until every event is delivered or has failed for good; retryable failures wait with backoff. */
  private async deliverBatch(batch: PreparedEvent[]): Promise<EventResult[]> {
    const settled: EventResult[] = []
    let pending = batch
    for (let attempt = 1; pending.length > 0; attempt++) {
      const outcomes = await this.sendOrFail(pending)
      if (outcomes instanceof Error) return [...settled, ...pending.map((item) => failure(item.index, outcomes))]
      const retry: PreparedEvent[] = []
      let retryAfterMs = 0
      pending.forEach((item, position) => {
        const outcome = outcomes[position]
        const result = resultOf(item.index, outcome)
        if (outcome.kind === 'failed' && outcome.error.retryable && attempt < this.policy.maxAttempts) {
          retry.push(item)
          retryAfterMs = Math.max(retryAfterMs, outcome.error.retryAfterMs ?? 0)
        } else settled.push(result)
      })
      if (retry.length > 0) await this.sleep(backoffDelayMs(attempt, this.policy, retryAfterMs))
      pending = retry
    }
    return settled
  }

  // The send path answers for every event and never throws; should it, each event says so instead of vanishing.
  private async sendOrFail(pending: PreparedEvent[]): Promise<EventOutcome[] | Error> {
    try {
      return await this.action.send(pending.map((item) => item.payload))
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    }
  }

  private route(inputs: unknown[], source: Sources): { results: EventResult[]; routed: RoutedEvent[] } {
    const results: EventResult[] = new Array(inputs.length)
    const routed: RoutedEvent[] = []
    inputs.forEach((input, index) => {
      const from = typeof source === 'string' ? source : source[index]
      const adapted = adaptOrRefuse(input, from, this.amplitudeEventMap)
      if (!adapted.ok) {
        results[index] = { index, status: adapted.status, error: adapted.error, retryable: false }
        return
      }
      const decision = this.router.route(adapted.event, adapted.source, adapted.sourceName)
      if ('skipped' in decision) results[index] = { index, skipped: decision.skipped }
      else routed.push({ index, event: decision.event, route: decision.route })
    })
    return { results, routed }
  }

  private batchesOf(routed: RoutedEvent[]): RoutedEvent[][] {
    const byRoute = groupBy(routed, (item) => item.route)
    return [...byRoute].flatMap(([route, items]) => chunk(items, batchSizeOf(route)))
  }
}

/** adaptInput, with an input that makes it throw (e.g. nesting deep enough to overflow it) refused on its own. */
function adaptOrRefuse(...args: Parameters<typeof adaptInput>): ReturnType<typeof adaptInput> {
  try {
    return adaptInput(...args)
  } catch (error) {
    return { ok: false, status: 400, error: `this event cannot be read: ${(error as Error).message}` }
  }
}
