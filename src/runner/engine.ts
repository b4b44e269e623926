/**
 * The engine: inputs to per-event results, in two phases. `prepare` routes each input to its mapping and has the
 * hosted action (action.ts) map, validate and build it exactly as a host would, once; `deliver` sends what was built,
 * batched per route, retrying with backoff, and keeps one result per input, in order. `send` is both, `map` the first.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { MetaRequestObserver } from '../destinations/meta-pixel'
import type { EventOutcome } from '../destinations/meta-pixel/sendEvent/send'
import type { SendableEvent } from '../lib/capi-event'
import { MAX_EVENTS_PER_REQUEST } from '../lib/capi-event'
import { forEachConcurrently } from '../lib/concurrency'
import { groupBy } from '../lib/group-by'
import { HostedAction } from './action'
import { failure, resultOf } from './event-result'
import type { EventResult } from './event-result'
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from './backoff'
import type { RetryPolicy } from './backoff'
import type { RunnerConfig } from './config'
import { Preparer } from './prepare'
import type { PendingDelivery, PreparedInput, PreparedInputs, Sources } from './prepare'
import { RequestSlots } from './request-slots'
import type { Route } from './routing'

export type { EventResult } from './event-result'
export type { PreparedInput, PreparedInputs, Sources } from './prepare'

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
  /**
   * Called once per input when send() or deliver() settles it (delivered, refused, skipped or failed for good), with
   * the input; map() and prepare() settle nothing.
   */
  onOutcome?: (result: EventResult, input: unknown) => void
  /** Timeout of each request to Meta (actions-core's default is 10 s); the ingest service fits it in its budget. */
  requestTimeoutMs?: number
  /**
   * Hold built events as their JSON text: results then carry an EncodedEvent, which names the event and writes it
   * back only through JSON. For a run that sends many events and reports them by name.
   */
  encodeEvents?: boolean
}

/** Requests to Meta in flight at once. */
export const DEFAULT_CONCURRENCY = 4

/** A built event waiting for delivery, with its input's index in the delivered set. */
interface PendingEvent extends PendingDelivery {
  index: number
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
  private readonly preparer: Preparer
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
    this.preparer = new Preparer(config, this.action, {
      keepInputs: options.onOutcome !== undefined,
      encodeEvents: options.encodeEvents ?? false
    })
  }

  /** Maps every input to the server event Meta would receive: the send path, stopped before the request. */
  async map(inputs: unknown[], source: Sources = 'auto'): Promise<EventResult[]> {
    return this.prepare(inputs, source).map((item) => item.result)
  }

  /** Delivers every input, retrying retryable failures with backoff; one result per input, in order. */
  async send(inputs: unknown[], source: Sources = 'auto'): Promise<SendReport> {
    return this.deliver(this.prepare(inputs, source))
  }

  /**
   * The first phase: routes, maps, validates and builds every input once, sending nothing. Each input gets its
   * final result (refused, skipped, invalid) or the event built for `deliver`, and the name of its route.
   */
  prepare(inputs: unknown[], source: Sources = 'auto'): PreparedInputs {
    return this.preparer.prepare(inputs, source)
  }

  /**
   * The second phase: delivers the built events of one or more prepare() calls (concatenated), batched per route,
   * retrying retryable failures with backoff. A retry resends the event as built: the same bytes, not a rebuild.
   * The other inputs keep their prepared result (deliver() of only those makes no request, it reports them to
   * onOutcome). One result per input, indexed by position.
   */
  async deliver(prepared: PreparedInputs): Promise<SendReport> {
    const call = { requests: 0 }
    const results = await this.calls.run(call, () => this.deliverAll(prepared))
    if (this.options.onOutcome)
      for (const result of results) this.options.onOutcome(result, prepared[result.index].input)
    return { results, requests: call.requests }
  }

  private observe(record: Parameters<MetaRequestObserver>[0]): void {
    const call = this.calls.getStore()
    if (call) call.requests++
    this.options.onRequest?.(record)
  }

  private async deliverAll(prepared: PreparedInputs): Promise<EventResult[]> {
    const results: EventResult[] = new Array(prepared.length)
    const pending: PendingEvent[] = []
    prepared.forEach((item: PreparedInput, index) => {
      if (item.pending) pending.push({ index, ...item.pending })
      else results[index] = item.result.index === index ? item.result : { ...item.result, index }
    })
    let settled = prepared.length - pending.length
    this.options.onProgress?.(settled, prepared.length)
    await forEachConcurrently(this.batchesOf(pending), this.concurrency, async (batch) => {
      for (const result of await this.deliverBatch(batch)) results[result.index] = result
      settled += batch.length
      this.options.onProgress?.(settled, prepared.length)
    })
    return results
  }

  /** One batch until every event is delivered or has failed for good; retryable failures wait with backoff. */
  private async deliverBatch(batch: PendingEvent[]): Promise<EventResult[]> {
    const settled: EventResult[] = []
    let pending = batch
    for (let attempt = 1; pending.length > 0; attempt++) {
      const outcomes = await this.sendOrFail(pending)
      if (outcomes instanceof Error) return [...settled, ...pending.map((item) => failure(item.index, outcomes))]
      const retry: PendingEvent[] = []
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
  private async sendOrFail(pending: PendingEvent[]): Promise<EventOutcome<SendableEvent>[] | Error> {
    try {
      return await this.action.deliver(
        pending.map((item) => item.requestKeys),
        pending.map((item) => item.built)
      )
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    }
  }

  private batchesOf(pending: PendingEvent[]): PendingEvent[][] {
    const byRoute = groupBy(pending, (item) => item.route)
    return [...byRoute].flatMap(([route, items]) => chunk(items, batchSizeOf(route)))
  }
}
