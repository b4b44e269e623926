/**
 * The engine: inputs to per-event results, as a host runs the definition. Over 250 lines because routing, batching,
 * retries and the isolation of events that make actions-core throw are one loop over the same batches; the
 * definition it runs is prepared in definition.ts.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { Destination } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import { createDefinition } from '../destinations/meta-pixel'
import type { MetaRequestObserver, Settings } from '../destinations/meta-pixel'
import { MAX_EVENTS_PER_REQUEST } from '../lib/capi-event'
import { forEachConcurrently } from '../lib/concurrency'
import { groupBy } from '../lib/group-by'
import type { Diagnostic, ServerEvent } from '../lib/capi-event'
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from './backoff'
import { dryRunDefinition, withRequestSlots, withRequestTimeout } from './definition'
import type { RetryPolicy } from './backoff'
import type { RunnerConfig } from './config'
import { adaptInput } from './input'
import type { InputSource, ReadAs } from './input'
import { RequestSlots } from './request-slots'
import { EventRouter } from './routing'
import type { Route } from './routing'

/** diagnostics: what was left out of the event and why, present only when something was. */
export type EventResult =
  | { index: number; status: 200; event: ServerEvent; diagnostics?: Diagnostic[] }
  | { index: number; status: number; error: string; retryable: boolean; diagnostics?: Diagnostic[] }
  | { index: number; skipped: string }

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

/** One event's answer from Destination.executeBatch. */
interface MultiStatusNode {
  status: number
  sent?: unknown
  body?: unknown
  errormessage?: string
}

type MetaPixelDestination = Destination<Settings>
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size))
  return chunks
}

// The mapping's batch_size caps a request; one executeBatch call of at most that many events makes its requests
// one after another, so batches in flight and request slots agree.
function batchSizeOf(route: Route): number {
  const requested = Number(route.mapping.batch_size ?? MAX_EVENTS_PER_REQUEST)
  return Number.isFinite(requested)
    ? Math.min(MAX_EVENTS_PER_REQUEST, Math.max(1, Math.floor(requested)))
    : MAX_EVENTS_PER_REQUEST
}

function retryAfterOf(node: MultiStatusNode): number {
  const body = node.body as { retry_after_ms?: unknown } | undefined
  return typeof body?.retry_after_ms === 'number' ? body.retry_after_ms : 0
}

function diagnosticsOf(node: MultiStatusNode): { diagnostics?: Diagnostic[] } {
  const body = node.body as { diagnostics?: Diagnostic[] } | undefined
  return Array.isArray(body?.diagnostics) ? { diagnostics: body.diagnostics } : {}
}

function resultOf(index: number, node: MultiStatusNode | undefined): EventResult {
  if (!node) return { index, status: 500, error: 'the destination returned no result for this event', retryable: true }
  if (node.status >= 200 && node.status < 300) {
    return { index, status: 200, event: node.sent as ServerEvent, ...diagnosticsOf(node) }
  }
  const status = node.status
  return {
    index,
    status,
    error: node.errormessage ?? `failed with status ${status}`,
    retryable: status === 429 || status >= 500,
    ...diagnosticsOf(node)
  }
}

/**
 * Runs events through the Meta Pixel destination the way a host does: presets as subscriptions matched with
 * actions-core's FQL, then Destination.executeBatch per subscription, in batches of up to 1,000 events.
 * Each engine has its own definition, Graph target and request observer: nothing is shared through the process.
 */
export class Engine {
  private readonly router: EventRouter
  private readonly amplitudeEventMap: Record<string, string>
  private readonly destination: MetaPixelDestination
  private readonly dryRun: MetaPixelDestination
  private readonly policy: RetryPolicy
  private readonly sleep: (ms: number) => Promise<void>
  private readonly concurrency: number
  /** The request count of the send call in whose async context a request is made. */
  private readonly calls = new AsyncLocalStorage<{ requests: number }>()

  constructor(
    private readonly config: RunnerConfig,
    private readonly options: EngineOptions = {}
  ) {
    this.router = new EventRouter(config, config.amplitudeEventMap)
    this.amplitudeEventMap = EventRouter.amplitudeEventMap(config, config.amplitudeEventMap)
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
    this.sleep = options.sleep ?? sleepFor
    const slots = options.slots ?? new RequestSlots(options.concurrency ?? DEFAULT_CONCURRENCY)
    this.concurrency = slots.limit
    const definition = createDefinition({ graphUrl: options.graphUrl, onRequest: (record) => this.observe(record) })
    this.destination = new Destination(
      withRequestSlots(withRequestTimeout(definition, options.requestTimeoutMs), slots)
    )
    this.dryRun = new Destination(dryRunDefinition(definition))
    // Settings are checked once, as a host does when they are saved, instead of once per batch.
    this.destination.validateSettings(config.settings)
  }

  /** Maps every input to the server event Meta would receive, without sending anything. */
  async map(inputs: unknown[], source: Sources = 'auto'): Promise<EventResult[]> {
    const { results, routed } = this.route(inputs, source)
    for (const batch of this.batchesOf(routed)) {
      const nodes = await this.executeBatch(this.dryRun, batch)
      batch.forEach((item, position) => (results[item.index] = resultOf(item.index, nodes[position])))
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
      for (const result of await this.deliverBatch(batch)) {
        results[result.index] = result
        settled++
      }
      this.options.onProgress?.(settled, inputs.length)
    })
    return results
  }

  /** One batch until every event is delivered or has failed for good; retryable failures wait with backoff. */
  private async deliverBatch(batch: RoutedEvent[]): Promise<EventResult[]> {
    const settled: EventResult[] = []
    let pending = batch
    for (let attempt = 1; pending.length > 0; attempt++) {
      const nodes = await this.executeBatch(this.destination, pending)
      const retry: RoutedEvent[] = []
      let retryAfterMs = 0
      pending.forEach((routedEvent, position) => {
        const node = nodes[position]
        const result = resultOf(routedEvent.index, node)
        if ('retryable' in result && result.retryable && attempt < this.policy.maxAttempts) {
          retry.push(routedEvent)
          retryAfterMs = Math.max(retryAfterMs, node ? retryAfterOf(node) : 0)
        } else settled.push(result)
      })
      if (retry.length > 0) await this.sleep(backoffDelayMs(attempt, this.policy, retryAfterMs))
      pending = retry
    }
    return settled
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

  private async executeBatch(destination: MetaPixelDestination, batch: RoutedEvent[]): Promise<MultiStatusNode[]> {
    const outcome = await this.tryExecuteBatch(destination, batch)
    return Array.isArray(outcome) ? outcome : this.isolateThrowingEvents(destination, batch, outcome)
  }

  /** One executeBatch call: its answers, or what it threw. */
  private async tryExecuteBatch(
    destination: MetaPixelDestination,
    batch: RoutedEvent[]
  ): Promise<MultiStatusNode[] | Error> {
    try {
      return (await destination.executeBatch('sendEvent', {
        events: batch.map((item) => item.event),
        mapping: batch[0].route.mapping,
        settings: this.config.settings
      })) as MultiStatusNode[]
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    } finally {
      // actions-core keeps every response on the instance; a long-running process must drop them.
      destination.responses.splice(0)
    }
  }

  // ---- Isolation of events that make actions-core throw (kept apart so the engine's other changes can keep it) ----

  /**
   * performBatch never throws, but actions-core's mapping can (e.g. `removeUndefined` overflowing the stack on a
   * property thousands of levels deep), and then it throws for the whole batch. The batch is split in halves until
   * the events that throw are alone: each of those fails for good (a resend would throw the same way) and every
   * other event is sent as usual, so one event never fails another. Mapping throws before anything is sent, so the
   * halves resend nothing; the cost is at most 2·⌈log₂ n⌉ calls per throwing event.
   */
  private async isolateThrowingEvents(
    destination: MetaPixelDestination,
    batch: RoutedEvent[],
    error: Error
  ): Promise<MultiStatusNode[]> {
    if (batch.length === 1) {
      return [{ status: 400, errormessage: `the destination cannot process this event: ${error.message}` }]
    }
    const middle = Math.ceil(batch.length / 2)
    const halves = [batch.slice(0, middle), batch.slice(middle)]
    const answers = await Promise.all(halves.map((half) => this.executeBatch(destination, half)))
    return answers.flat()
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
