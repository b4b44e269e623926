/**
 * The destination's one send path: build, deliver, and the two answers hosts expect (MultiStatus, a throwable).
 * Over 250 lines because these share the outcome type and its batching helpers; apart, each would re-derive them.
 */
import {
  IntegrationError,
  InvalidAuthenticationError,
  MultiStatusResponse,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import type { JSONLikeObject, ModifiedResponse, RequestClient } from '@segment/actions-core'
import { buildServerEvent, MAX_EVENTS_PER_REQUEST } from '../../../lib/capi-event'
import type { BuildOptions, Diagnostic, SendableEvent, ServerEvent } from '../../../lib/capi-event'
import { deliver } from '../../../lib/delivery'
import { groupBy } from '../../../lib/group-by'
import type { SendOutcome } from '../../../lib/delivery'
import { classifyMetaResponse, classifyNetworkError } from '../../../lib/meta-errors'
import type { ClassifiedError } from '../../../lib/meta-errors'
import { retryAfterMs } from '../../../lib/retry-after'
import { DEFAULT_PARTNER_AGENT, eventsUrl } from '../graph'
import type { GraphOptions } from '../observer'
import type { Settings } from '../settings'
import type { Payload } from './payload'

/**
 * What became of one event: delivered, refused by our own checks, or refused by Meta. diagnostics: what was left
 * out of an event that still went, and why (never the values). A host's events are objects; the runner may hold
 * them as text (EncodedEvent).
 */
export type EventOutcome<E extends SendableEvent = ServerEvent> =
  | { kind: 'delivered'; event: E; diagnostics: Diagnostic[]; fbtraceId?: string }
  | { kind: 'ready'; event: E; diagnostics: Diagnostic[] }
  | { kind: 'invalid'; message: string }
  | { kind: 'failed'; event: E; diagnostics: Diagnostic[]; error: ClassifiedError }

/** What sending leaves: every event delivered, refused by us or refused by Meta. */
export type SentOutcome<E extends SendableEvent = ServerEvent> = Exclude<EventOutcome<E>, { kind: 'ready' }>

/** A payload's request-level keys: all delivering needs of it once its event is built. */
export type RequestKeys = Pick<Payload, 'batch_size' | 'test_event_code'>

interface PendingEvent<E extends SendableEvent> {
  index: number
  event: E
  diagnostics: Diagnostic[]
}

function buildOptions(settings: Settings): BuildOptions {
  return {
    defaultActionSource: settings.defaultActionSource ?? 'website',
    defaultCurrency: settings.defaultCurrency,
    defaultCountryCallingCode: settings.defaultCountryCallingCode,
    limitedDataUse: {
      enabled: settings.limitedDataUse ?? false,
      country: settings.limitedDataUseCountry ?? 0,
      state: settings.limitedDataUseState ?? 0
    },
    nowMs: Date.now()
  }
}

function batchSizeOf(payloads: RequestKeys[]): number {
  const requested = payloads[0]?.batch_size ?? MAX_EVENTS_PER_REQUEST
  return Math.min(MAX_EVENTS_PER_REQUEST, Math.max(1, Math.floor(requested)))
}

// test_event_code is a request-level key, so events that carry different codes go in different requests.
function groupByTestEventCode<E extends SendableEvent>(
  payloads: RequestKeys[],
  events: PendingEvent<E>[],
  settings: Settings
) {
  return groupBy(events, (pending) => payloads[pending.index].test_event_code || settings.testEventCode || undefined)
}

function parseEventsReceived(response: ModifiedResponse): { eventsReceived: number; fbtraceId?: string } | undefined {
  const body = response.data as { events_received?: unknown; fbtrace_id?: unknown } | undefined
  if (typeof body?.events_received !== 'number') return undefined
  return {
    eventsReceived: body.events_received,
    fbtraceId: typeof body.fbtrace_id === 'string' ? body.fbtrace_id : undefined
  }
}

async function postEvents(
  request: RequestClient,
  settings: Settings,
  url: string,
  body: { data: SendableEvent[] } & Record<string, unknown>,
  graph: GraphOptions
): Promise<SendOutcome> {
  const context = { pixelId: settings.pixelId, secrets: [settings.accessToken] }
  const startedAt = performance.now()
  let status = 0
  try {
    // Bytes or a string, not `json`: actions-core deep-merges request options, which would copy all 1,000 events.
    const encoded = graph.bodyBuffers?.encode(body)
    const response = await request(url, {
      method: 'POST',
      body: encoded?.bytes ?? JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      throwHttpErrors: false
    })
    status = response.status
    // A 2xx means the server read the whole body; after anything else its buffer is left to the garbage collector.
    if (response.ok) encoded?.release()
    const received = response.ok ? parseEventsReceived(response) : undefined
    if (received) return { ok: true, ...received }
    const error = classifyMetaResponse(response.status, response.content ?? '', context)
    return {
      ok: false,
      error: { ...error, retryAfterMs: error.retryable ? retryAfterMs(response.headers) : undefined }
    }
  } catch (error) {
    return { ok: false, error: classifyNetworkError(error, context) }
  } finally {
    graph.onRequest?.({ events: body.data.length, status, durationMs: performance.now() - startedAt })
  }
}

// A settings mistake fails each event with a clear message instead of throwing away the whole batch.
function eventsUrlOrError(settings: Settings, graph: GraphOptions): string | ClassifiedError {
  try {
    return eventsUrl(settings, graph.graphUrl)
  } catch (error) {
    return { status: 400, retryable: false, kind: 'configuration', message: (error as Error).message }
  }
}

interface GroupRequest {
  testEventCode: string | undefined
  batchSize: number
  graph: GraphOptions
}

async function deliverGroup<E extends SendableEvent>(
  request: RequestClient,
  settings: Settings,
  group: PendingEvent<E>[],
  { testEventCode, batchSize, graph }: GroupRequest,
  outcomes: EventOutcome<E>[]
): Promise<void> {
  const url = eventsUrlOrError(settings, graph)
  if (typeof url !== 'string') {
    for (const { index, event, diagnostics } of group)
      outcomes[index] = { kind: 'failed', event, diagnostics, error: url }
    return
  }
  // Hosts do not apply setting defaults, so the partner agent's default is applied here; blank counts as unset.
  const partnerAgent = settings.partnerAgent || DEFAULT_PARTNER_AGENT
  const report = await deliver(
    group.map((pending) => pending.event),
    {
      batchSize,
      send: (events) =>
        postEvents(
          request,
          settings,
          url,
          {
            data: events,
            ...(partnerAgent && { partner_agent: partnerAgent }),
            ...(testEventCode && { test_event_code: testEventCode })
          },
          graph
        )
    }
  )
  report.results.forEach((result, position) => {
    const { index, event, diagnostics } = group[position]
    outcomes[index] = result.ok
      ? { kind: 'delivered', event, diagnostics, fbtraceId: result.fbtraceId }
      : { kind: 'failed', event, diagnostics, error: result.error }
  })
}

/** Every payload as the server event Meta would receive ('ready'), or the reason it cannot be sent. */
export function buildEvents(settings: Settings, payloads: Payload[]): EventOutcome[] {
  const options = buildOptions(settings)
  return payloads.map((payload): EventOutcome => {
    const built = buildServerEvent(payload, options)
    return built.ok
      ? { kind: 'ready', event: built.event, diagnostics: built.diagnostics }
      : { kind: 'invalid', message: built.error }
  })
}

/** The single send path behind perform and performBatch: validate each event, send the valid ones in batches. */
export async function sendEvents(
  request: RequestClient,
  settings: Settings,
  payloads: Payload[],
  graph: GraphOptions = {}
): Promise<SentOutcome[]> {
  return deliverBuilt(request, settings, payloads, buildEvents(settings, payloads), graph)
}

/**
 * The second half of sendEvents: delivers, in batches, the events buildEvents built ('ready'), given each payload's
 * request keys; every other outcome is answered as it is. The runner builds once, then delivers (and retries) that.
 */
export async function deliverBuilt<E extends SendableEvent>(
  request: RequestClient,
  settings: Settings,
  payloads: RequestKeys[],
  built: EventOutcome<E>[],
  graph: GraphOptions = {}
): Promise<SentOutcome<E>[]> {
  const outcomes = built.slice()
  const pending = outcomes.flatMap((outcome, index) =>
    outcome.kind === 'ready' ? [{ index, event: outcome.event, diagnostics: outcome.diagnostics }] : []
  )
  const batchSize = batchSizeOf(payloads)
  for (const [testEventCode, group] of groupByTestEventCode(payloads, pending, settings)) {
    await deliverGroup(request, settings, group, { testEventCode, batchSize, graph }, outcomes)
  }
  // deliver() answers for every event it was given, so no event is still merely 'ready'.
  return outcomes as SentOutcome<E>[]
}

function errorBody(error: ClassifiedError): JSONLikeObject {
  return {
    kind: error.kind,
    retryable: error.retryable,
    ...(error.code !== undefined && { code: error.code }),
    ...(error.subcode !== undefined && { error_subcode: error.subcode }),
    ...(error.fbtraceId !== undefined && { fbtrace_id: error.fbtraceId }),
    ...(error.retryAfterMs !== undefined && { retry_after_ms: error.retryAfterMs })
  }
}

/** The response body's `diagnostics`, only when something was left out, so clean events stay as they were. */
function diagnosticsBody(diagnostics: Diagnostic[]): JSONLikeObject {
  return diagnostics.length > 0 ? { diagnostics: diagnostics.map(({ field, reason }) => ({ field, reason })) } : {}
}

export function toMultiStatus(outcomes: EventOutcome[]): MultiStatusResponse {
  const response = new MultiStatusResponse()
  outcomes.forEach((outcome, index) => {
    if (outcome.kind === 'delivered' || outcome.kind === 'ready') {
      response.setSuccessResponseAtIndex(index, {
        status: 200,
        sent: outcome.event as unknown as JSONLikeObject,
        body: {
          ...(outcome.kind === 'delivered' ? { fbtrace_id: outcome.fbtraceId ?? null } : { dry_run: true }),
          ...diagnosticsBody(outcome.diagnostics)
        }
      })
    } else if (outcome.kind === 'invalid') {
      response.setErrorResponseAtIndex(index, {
        status: 400,
        errortype: 'PAYLOAD_VALIDATION_FAILED',
        errormessage: outcome.message
      })
    } else {
      response.setErrorResponseAtIndex(index, {
        status: outcome.error.status,
        errormessage: outcome.error.message,
        sent: outcome.event as unknown as JSONLikeObject,
        body: { ...errorBody(outcome.error), ...diagnosticsBody(outcome.diagnostics) }
      })
    }
  })
  return response
}

/** For perform: the error a host expects for one event, its retryability carried by the status. */
export function toThrowable(outcome: Exclude<SentOutcome, { kind: 'delivered' }>): Error {
  if (outcome.kind === 'invalid') return new PayloadValidationError(outcome.message)
  const { error } = outcome
  if (error.kind === 'authentication') return new InvalidAuthenticationError(error.message)
  if (error.retryable)
    return new RetryableError(error.message, error.status as ConstructorParameters<typeof RetryableError>[1])
  return new IntegrationError(error.message, error.kind.toUpperCase(), error.status)
}
