import type { EventResult } from '../runner/engine'
import type { LimitReason } from './limits'

/** An event's answer as the service gives it: the engine's, or refused at ingestion, or out of time. */
export type ServiceResult = EventResult & {
  /** Refused at ingestion for this limit; never sent to the engine. */
  limit?: LimitReason
  /** Not finished within the request's time budget (answered retryable; the delivery may still complete). */
  budget?: boolean
  /** Not sent: another event of its Amplitude upload was refused, and the SDK resends it without that one. */
  heldBack?: boolean
}

export interface FailedEvent {
  index: number
  status: number
  error: string
}

/** What became of one request's events, in the terms every protocol's answer is built from. */
export interface RequestOutcome {
  total: number
  delivered: number
  /** No preset maps them: accepted, as Segment accepts everything. */
  skipped: number
  /** Refused for good (bad data, bad settings, bad token): a resend would fail the same way. */
  failed: FailedEvent[]
  /** Still undeliverable after the service's own retries: the sender must resend them. */
  retryable: FailedEvent[]
  /** Not sent because others of their upload were refused: the sender resends them without those. */
  heldBack: number
  /** Some retryable event was rate-limited by Meta. */
  rateLimited: boolean
}

export function summarize(results: ServiceResult[]): RequestOutcome {
  const outcome: RequestOutcome = {
    total: results.length,
    delivered: 0,
    skipped: 0,
    failed: [],
    retryable: [],
    heldBack: 0,
    rateLimited: false
  }
  results.forEach((result, index) => {
    if ('skipped' in result) outcome.skipped++
    else if (!('retryable' in result)) outcome.delivered++
    else if (result.heldBack) outcome.heldBack++
    else {
      const failure = { index, status: result.status, error: result.error }
      if (result.retryable) {
        outcome.retryable.push(failure)
        if (result.status === 429) outcome.rateLimited = true
      } else outcome.failed.push(failure)
    }
  })
  return outcome
}

/** `events=3 delivered=2 skipped=0 failed=1 retry=0` for the log: counts only, never content. */
export function countsNote(outcome: RequestOutcome): string {
  const failedStatuses = [...new Set(outcome.failed.map((failure) => failure.status))].join(',')
  return [
    `events=${outcome.total}`,
    `delivered=${outcome.delivered}`,
    `skipped=${outcome.skipped}`,
    `failed=${outcome.failed.length}${failedStatuses ? `(${failedStatuses})` : ''}`,
    `retry=${outcome.retryable.length}${outcome.rateLimited ? '(rate-limited)' : ''}`,
    ...(outcome.heldBack > 0 ? [`held=${outcome.heldBack}`] : [])
  ].join(' ')
}
