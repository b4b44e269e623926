import { Counter, Histogram, Registry } from 'prom-client'
import type { ServiceResult as EventResult } from './outcome'

/** The protocol an event came in by: Segment's API (and RudderStack's), Amplitude's HTTP V2 API, its webhook. */
export type IngestSource = 'segment' | 'amplitude' | 'webhook'

/**
 * Why the client is asked to resend: Meta's rate limit, Meta or the network unavailable, the time budget spent, or
 * held back (another event of its Amplitude upload was refused, and the SDK resends the others without it).
 */
export type RetryReason = 'rate_limited' | 'unavailable' | 'budget' | 'held_back'

const PREFIX = 'meta_pixel_'

/**
 * The service's Prometheus metrics, in a registry of its own (no process-wide state: two services in one process
 * count apart). Labels take a handful of fixed values, never event content or keys.
 */
export class ServiceMetrics {
  readonly registry = new Registry()
  private readonly received = this.counter('events_received_total', 'Events received, by source', ['source'])
  private readonly delivered = this.counter('events_delivered_total', 'Events delivered to Meta', ['source'])
  private readonly deliveredLate = this.counter(
    'events_delivered_late_total',
    'Events delivered after their request was answered retryable for the time budget (the resend is a copy)',
    ['source']
  )
  private readonly skipped = this.counter('events_skipped_total', 'Events no preset maps (accepted)', ['source'])
  private readonly refused = this.counter('events_refused_total', 'Events refused for good, by reason', [
    'source',
    'reason'
  ])
  private readonly retried = this.counter('events_retry_total', 'Events the client was asked to resend, by reason', [
    'source',
    'reason'
  ])
  private readonly metaErrors = this.counter(
    'meta_errors_total',
    "Events whose final answer carried a Meta error, by Meta's error code",
    ['code']
  )
  readonly latency = new Histogram({
    name: `${PREFIX}request_duration_seconds`,
    help: 'Time from request to answer, by endpoint and HTTP status',
    labelNames: ['endpoint', 'status'],
    buckets: [0.005, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
    registers: [this.registry]
  })

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name: `${PREFIX}${name}`, help, labelNames, registers: [this.registry] })
  }

  /** Counts one request's events by what was answered for each. */
  answered(source: IngestSource, results: EventResult[]): void {
    this.received.inc({ source }, results.length)
    for (const result of results) {
      if ('skipped' in result) this.skipped.inc({ source })
      else if (!('retryable' in result)) this.delivered.inc({ source })
      else {
        const code = metaErrorCode(result.error)
        if (code !== undefined) this.metaErrors.inc({ code })
        if (result.retryable) this.retried.inc({ source, reason: retryReason(result) })
        else this.refused.inc({ source, reason: refusalReason(result) })
      }
    }
  }

  /** Deliveries that finished after the time budget had answered their request retryable. */
  deliveredAfterBudget(source: IngestSource, results: EventResult[]): void {
    const late = results.filter((result) => !('retryable' in result) && !('skipped' in result)).length
    if (late > 0) this.deliveredLate.inc({ source }, late)
  }
}

/** Meta's error code as the destination's messages write it: "(code 100, subcode 2804050, …)". */
function metaErrorCode(error: string): string | undefined {
  return /\(code (-?\d{1,9})\b/.exec(error)?.[1]
}

function retryReason(result: Extract<EventResult, { retryable: boolean }>): RetryReason {
  if (result.heldBack) return 'held_back'
  if (result.status === 429) return 'rate_limited'
  return result.budget ? 'budget' : 'unavailable'
}

/** A small fixed set of reasons: the status says whose fault it is, the limits name themselves. */
export function refusalReason(result: Extract<EventResult, { retryable: boolean }>): string {
  if (result.limit) return result.limit
  if (result.status === 401) return 'invalid_token'
  if (result.status === 403) return 'permission'
  if (result.status === 400 || result.status === 422) return 'invalid_event'
  return `status_${result.status}`
}
