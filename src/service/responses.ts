import { invalidFieldsReport, invalidSummary, type InvalidEvent } from './amplitude'
import { countsNote, type RequestOutcome } from './outcome'
import type { Reply } from './types'

const MAX_LISTED_REASONS = 5

function retryReason(outcome: RequestOutcome): string {
  const cause = outcome.rateLimited ? 'Meta is rate-limiting this pixel' : 'Meta is unavailable'
  return `${outcome.retryable.length} of ${outcome.total} events could not be delivered yet (${cause}); resend them`
}

function failureReasons(outcome: RequestOutcome): string[] {
  return outcome.failed.slice(0, MAX_LISTED_REASONS).map(({ index, error }) => `[${index}] ${error}`)
}

// ---- Segment HTTP Tracking API (and RudderStack, which speaks it) ----

export function segmentError(status: number, error: string, note = error): Reply {
  return { status, body: { success: false, error }, note }
}

/**
 * 200 unless some event is still undeliverable: Segment's API accepts everything, and analytics-node drops a batch
 * answered 400 without retrying, so events refused for good are reported in the body and the log only. When some
 * event failed retryably, 503: analytics-node (and RudderStack's SDKs) resend the batch with exponential backoff;
 * the events already delivered are resent too, and Meta drops those copies by event_id.
 */
export function segmentReply(outcome: RequestOutcome): Reply {
  const note = countsNote(outcome)
  if (outcome.retryable.length > 0) return { status: 503, body: { success: false, error: retryReason(outcome) }, note }
  const errors = failureReasons(outcome)
  return {
    status: 200,
    body: {
      success: true,
      delivered: outcome.delivered,
      skipped: outcome.skipped,
      failed: outcome.failed.length,
      ...(errors.length > 0 && { errors })
    },
    note
  }
}

// ---- Amplitude HTTP V2 API ----

/** Amplitude's SDKs read the status from the body's `code`, not from the HTTP status line, so both always agree. */
export function amplitudeError(
  status: number,
  error: string,
  extra: Record<string, unknown> = {},
  note = error
): Reply {
  return { status, body: { code: status, error, ...extra }, note }
}

/** 400 naming the refused events by index: the SDK drops exactly those and resends the others. */
export function amplitudeInvalid(events: unknown[], invalid: InvalidEvent[]): Reply {
  return amplitudeError(400, invalidSummary(invalid), invalidFieldsReport(events, invalid), `invalid=${invalid.length}`)
}

export function amplitudeReply(outcome: RequestOutcome, events: unknown[], payloadBytes: number, now: number): Reply {
  const note = countsNote(outcome)
  if (outcome.retryable.length > 0) {
    if (!outcome.rateLimited) return { ...amplitudeError(503, retryReason(outcome)), note }
    // throttled_events makes the SDK hold exactly these events back for 30 s before resending them.
    const throttled = outcome.retryable.filter((failure) => failure.status === 429).map((failure) => failure.index)
    return { ...amplitudeError(429, retryReason(outcome), { throttled_events: throttled }), note }
  }
  // Refused for good: a 400 naming them makes the SDK drop exactly those and resend the others. Those were held
  // back (deliverUpload) unless only the send found the refusal (Meta refused an event the destination's checks
  // passed): then they were delivered, and Meta drops the resent copies by event_id (the insert_id).
  if (outcome.failed.length > 0) return { ...amplitudeInvalid(events, outcome.failed), note }
  return {
    status: 200,
    body: {
      code: 200,
      events_ingested: outcome.delivered + outcome.skipped,
      payload_size_bytes: payloadBytes,
      server_upload_time: now
    },
    note
  }
}

// ---- Amplitude event streaming webhook ----

export function webhookError(status: number, error: string, note = error): Reply {
  return { status, body: { error }, note }
}

/**
 * 200 once delivered (or skipped: no preset maps it); 400 with the reason when refused for good, so that it shows
 * in Amplitude's delivery log and is not retried; 429 (Meta rate limit) or 503 when Amplitude should retry.
 */
/**
 * A skip reason without the names it quotes: an event name is the sender's free text and may hold personal data,
 * and this answer lands in Amplitude's delivery log.
 */
function withoutQuotedNames(reason: string | undefined): string | undefined {
  return reason?.replace(/"[^"]*"/g, '"…"')
}

export function webhookReply(outcome: RequestOutcome, skippedReason?: string): Reply {
  const note = countsNote(outcome)
  if (outcome.retryable.length > 0) {
    return { status: outcome.rateLimited ? 429 : 503, body: { error: retryReason(outcome) }, note }
  }
  if (outcome.failed.length > 0) return { status: 400, body: { error: outcome.failed[0].error }, note }
  if (outcome.skipped > 0) {
    return { status: 200, body: { status: 'skipped', reason: withoutQuotedNames(skippedReason) }, note }
  }
  return { status: 200, body: { status: 'delivered' }, note }
}
