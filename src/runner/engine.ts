import { Destination } from '@segment/actions-core'
import type { DestinationDefinition, SegmentEvent } from '@segment/actions-core'
import definition, { metaRequests } from '../destinations/meta-pixel'
import type { MetaRequestRecord, Settings } from '../destinations/meta-pixel'
import { buildEvents, toMultiStatus } from '../destinations/meta-pixel/sendEvent/send'
import { MAX_EVENTS_PER_REQUEST } from '../lib/capi-event'
import { forEachConcurrently } from '../lib/concurrency'
import { groupBy } from '../lib/group-by'
import type { Diagnostic, ServerEvent } from '../lib/capi-event'
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from './backoff'
import type { RetryPolicy } from './backoff'
import type { RunnerConfig } from './config'
import { adaptInput } from './input'
import type { InputSource, ReadAs } from './input'
import { buildRoutes, withAllPropertiesAsCustomData } from './routing'
import type { Route } from './routing'

/** diagnostics: what was left out of the event and why, present only when something was. */
export type EventResult =
  | { index: number; status: 200; event: ServerEvent; diagnostics?: Diagnostic[] }
  | { index: number; status: number; error: string; retryable: boolean; diagnostics?: Diagnostic[] }
  | { index: number; skipped: string }

export interface SendReport {
  results: EventResult[]
  /** HTTP requests made to Meta (or the sandbox), retries included. */
  requests: number
}

export interface EngineOptions {
  retry?: Partial<RetryPolicy>
  /** Parallel requests to Meta; batches for different presets or chunks go out side by side. */
  concurrency?: number
  sleep?: (ms: number) => Promise<void>
  onProgress?: (settled: number, total: number) => void
  /** Called once per input when send() settles it (delivered, refused, skipped or failed for good), with the input. */
  onOutcome?: (result: EventResult, input: unknown) => void
  /** Timeout of each request to Meta (actions-core's default is 10 s); the ingest service fits it in its budget. */
  requestTimeoutMs?: number
}

/** One source for every input, or (from the ingest front, which detected each once) one per input. */
export type Sources = InputSource | readonly ReadAs[]

/** Requests to Meta in flight at once, for batches of different presets or chunks. */
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

// A dry run goes through the same definition and actions-core pipeline as a send; only performBatch stops short.
function dryRunDefinition(): DestinationDefinition<Settings> {
  const sendEvent = definition.actions.sendEvent
  return {
    ...definition,
    actions: {
      sendEvent: {
        ...sendEvent,
        performBatch: (_request, { settings, payload }) => toMultiStatus(buildEvents(settings, payload))
      }
    }
  }
}

// actions-core applies `timeout` from extendRequest to every request the destination makes.
function withRequestTimeout(
  base: DestinationDefinition<Settings>,
  timeoutMs: number | undefined
): DestinationDefinition<Settings> {
  if (timeoutMs === undefined) return base
  const extendRequest: DestinationDefinition<Settings>['extendRequest'] = (data) => ({
    ...base.extendRequest?.(data),
    timeout: timeoutMs
  })
  return { ...base, extendRequest }
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size))
  return chunks
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
 */
export class Engine {
  private readonly routes: Route[]
  private readonly amplitudeRoutes: Route[]
  private readonly destination: MetaPixelDestination
  private readonly dryRun = new Destination(dryRunDefinition())
  private readonly policy: RetryPolicy
  private readonly sleep: (ms: number) => Promise<void>

  constructor(
    private readonly config: RunnerConfig,
    private readonly options: EngineOptions = {}
  ) {
    this.routes = buildRoutes(config)
    this.amplitudeRoutes = this.routes.map(withAllPropertiesAsCustomData)
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
    this.sleep = options.sleep ?? sleepFor
    this.destination = new Destination(withRequestTimeout(definition, options.requestTimeoutMs))
    // Settings are checked once, as a host does when they are saved, instead of once per batch.
    this.destination.validateSettings(config.settings)
  }

  /** Maps every input to the server event Meta would receive, without sending anything. */
  async map(inputs: unknown[], source: Sources = 'auto'): Promise<EventResult[]> {
    const { results, routed } = this.route(inputs, source)
    for (const [index, node] of await this.execute(this.dryRun, routed)) results[index] = resultOf(index, node)
    return results
  }

  /** Delivers every input, retrying retryable failures with backoff; one result per input, in order. */
  async send(inputs: unknown[], source: Sources = 'auto'): Promise<SendReport> {
    let requests = 0
    const countRequest = (_record: MetaRequestRecord) => requests++
    metaRequests.on('request', countRequest)
    try {
      const { results, routed } = this.route(inputs, source)
      let settled = results.filter(Boolean).length
      this.options.onProgress?.(settled, inputs.length)
      let pending = routed
      for (let attempt = 1; pending.length > 0; attempt++) {
        const nodes = await this.execute(this.destination, pending)
        const retry: RoutedEvent[] = []
        let retryAfterMs = 0
        for (const routedEvent of pending) {
          const node = nodes.get(routedEvent.index)
          const result = resultOf(routedEvent.index, node)
          if ('retryable' in result && result.retryable && attempt < this.policy.maxAttempts) {
            retry.push(routedEvent)
            retryAfterMs = Math.max(retryAfterMs, node ? retryAfterOf(node) : 0)
            continue
          }
          results[routedEvent.index] = result
          settled++
        }
        this.options.onProgress?.(settled, inputs.length)
        if (retry.length > 0) await this.sleep(backoffDelayMs(attempt, this.policy, retryAfterMs))
        pending = retry
      }
      if (this.options.onOutcome) for (const result of results) this.options.onOutcome(result, inputs[result.index])
      return { results, requests }
    } finally {
      metaRequests.off('request', countRequest)
    }
  }

  private route(inputs: unknown[], source: Sources): { results: EventResult[]; routed: RoutedEvent[] } {
    const results: EventResult[] = new Array(inputs.length)
    const routed: RoutedEvent[] = []
    inputs.forEach((input, index) => {
      const from = typeof source === 'string' ? source : source[index]
      const adapted = adaptOrRefuse(input, from, this.config.amplitudeEventMap)
      if (!adapted.ok) {
        results[index] = { index, status: adapted.status, error: adapted.error, retryable: false }
        return
      }
      const routes = adapted.source === 'amplitude' ? this.amplitudeRoutes : this.routes
      const route = routes.find((candidate) => candidate.matches(adapted.event))
      if (route) routed.push({ index, event: adapted.event, route })
      else results[index] = { index, skipped: `no preset matches ${describe(adapted.event)}` }
    })
    return { results, routed }
  }

  private async execute(
    destination: MetaPixelDestination,
    routed: RoutedEvent[]
  ): Promise<Map<number, MultiStatusNode>> {
    const byRoute = groupBy(routed, (item) => item.route)
    const batches = [...byRoute.values()].flatMap((items) => chunk(items, MAX_EVENTS_PER_REQUEST))
    const nodes = new Map<number, MultiStatusNode>()
    await forEachConcurrently(batches, this.options.concurrency ?? DEFAULT_CONCURRENCY, async (batch) => {
      const batchNodes = await this.executeBatch(destination, batch)
      batch.forEach((item, position) => nodes.set(item.index, batchNodes[position]))
    })
    return nodes
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

function describe(event: SegmentEvent): string {
  return event.type === 'track' ? `track "${event.event}"` : `${event.type} event`
}
