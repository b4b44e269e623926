import { Destination } from '@segment/actions-core'
import type { DestinationDefinition, SegmentEvent } from '@segment/actions-core'
import definition, { metaRequests } from '../destinations/meta-pixel'
import type { MetaRequestRecord, Settings } from '../destinations/meta-pixel'
import { buildEvents, toMultiStatus } from '../destinations/meta-pixel/sendEvent/send'
import { MAX_EVENTS_PER_REQUEST } from '../lib/capi-event'
import { forEachConcurrently } from '../lib/concurrency'
import { groupBy } from '../lib/group-by'
import type { ServerEvent } from '../lib/capi-event'
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from './backoff'
import type { RetryPolicy } from './backoff'
import type { RunnerConfig } from './config'
import { adaptInput } from './input'
import type { InputSource } from './input'
import { EventRouter } from './routing'
import type { Route } from './routing'

export type EventResult =
  | { index: number; status: 200; event: ServerEvent }
  | { index: number; status: number; error: string; retryable: boolean }
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
}

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

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size))
  return chunks
}

function retryAfterOf(node: MultiStatusNode): number {
  const body = node.body as { retry_after_ms?: unknown } | undefined
  return typeof body?.retry_after_ms === 'number' ? body.retry_after_ms : 0
}

function resultOf(index: number, node: MultiStatusNode | undefined): EventResult {
  if (!node) return { index, status: 500, error: 'the destination returned no result for this event', retryable: true }
  if (node.status >= 200 && node.status < 300) return { index, status: 200, event: node.sent as ServerEvent }
  const status = node.status
  return {
    index,
    status,
    error: node.errormessage ?? `failed with status ${status}`,
    retryable: status === 429 || status >= 500
  }
}

/**
 * Runs events through the Meta Pixel destination the way a host does: presets as subscriptions matched with
 * actions-core's FQL, then Destination.executeBatch per subscription, in batches of up to 1,000 events.
 */
export class Engine {
  private readonly router: EventRouter
  private readonly amplitudeEventMap: Record<string, string>
  private readonly destination = new Destination(definition)
  private readonly dryRun = new Destination(dryRunDefinition())
  private readonly policy: RetryPolicy
  private readonly sleep: (ms: number) => Promise<void>

  constructor(
    private readonly config: RunnerConfig,
    private readonly options: EngineOptions = {}
  ) {
    this.router = new EventRouter(config, config.amplitudeEventMap)
    this.amplitudeEventMap = EventRouter.amplitudeEventMap(config, config.amplitudeEventMap)
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
    this.sleep = options.sleep ?? sleepFor
    // Settings are checked once, as a host does when they are saved, instead of once per batch.
    this.destination.validateSettings(config.settings)
  }

  /** Maps every input to the server event Meta would receive, without sending anything. */
  async map(inputs: unknown[], source: InputSource = 'auto'): Promise<EventResult[]> {
    const { results, routed } = this.route(inputs, source)
    for (const [index, node] of await this.execute(this.dryRun, routed)) results[index] = resultOf(index, node)
    return results
  }

  /** Delivers every input, retrying retryable failures with backoff; one result per input, in order. */
  async send(inputs: unknown[], source: InputSource = 'auto'): Promise<SendReport> {
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
      return { results, requests }
    } finally {
      metaRequests.off('request', countRequest)
    }
  }

  private route(inputs: unknown[], source: InputSource): { results: EventResult[]; routed: RoutedEvent[] } {
    const results: EventResult[] = new Array(inputs.length)
    const routed: RoutedEvent[] = []
    inputs.forEach((input, index) => {
      const adapted = adaptInput(input, source, this.amplitudeEventMap)
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
    try {
      return (await destination.executeBatch('sendEvent', {
        events: batch.map((item) => item.event),
        mapping: batch[0].route.mapping,
        settings: this.config.settings
      })) as MultiStatusNode[]
    } catch (error) {
      // performBatch never throws by design; should the framework throw, every event still gets an answer.
      const message = `the destination failed: ${(error as Error).message}`
      return batch.map(() => ({ status: 500, errormessage: message }))
    } finally {
      // actions-core keeps every response on the instance; a long-running process must drop them.
      destination.responses.splice(0)
    }
  }
}
