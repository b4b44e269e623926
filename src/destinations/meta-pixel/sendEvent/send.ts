import {
  IntegrationError,
  InvalidAuthenticationError,
  MultiStatusResponse,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import type { JSONLikeObject, ModifiedResponse, RequestClient } from '@segment/actions-core'
import { buildServerEvent, MAX_EVENTS_PER_REQUEST } from '../../../lib/capi-event'
import type { BuildOptions, ServerEvent } from '../../../lib/capi-event'
import { deliver } from '../../../lib/delivery'
import type { SendOutcome } from '../../../lib/delivery'
import { classifyMetaResponse, classifyNetworkError } from '../../../lib/meta-errors'
import type { ClassifiedError } from '../../../lib/meta-errors'
import { eventsUrl } from '../graph'
import type { Settings } from '../settings'
import type { Payload } from './payload'

/** What became of one event: delivered, refused by our own checks, or refused by Meta. */
type EventOutcome =
  | { kind: 'delivered'; event: ServerEvent; fbtraceId?: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'failed'; event: ServerEvent; error: ClassifiedError }

interface PendingEvent {
  index: number
  event: ServerEvent
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

function batchSizeOf(payloads: Payload[]): number {
  const requested = payloads[0]?.batch_size ?? MAX_EVENTS_PER_REQUEST
  return Math.min(MAX_EVENTS_PER_REQUEST, Math.max(1, Math.floor(requested)))
}

// test_event_code is a request-level key, so events that carry different codes go in different requests.
function groupByTestEventCode(payloads: Payload[], events: PendingEvent[], settings: Settings) {
  const groups = new Map<string | undefined, PendingEvent[]>()
  for (const pending of events) {
    const code = payloads[pending.index].test_event_code || settings.testEventCode || undefined
    groups.set(code, [...(groups.get(code) ?? []), pending])
  }
  return groups
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
  body: Record<string, unknown>
): Promise<SendOutcome> {
  const context = { pixelId: settings.pixelId, secrets: [settings.accessToken] }
  try {
    const response = await request(url, { method: 'POST', json: body, throwHttpErrors: false })
    const received = response.ok ? parseEventsReceived(response) : undefined
    if (received) return { ok: true, ...received }
    return { ok: false, error: classifyMetaResponse(response.status, response.content ?? '', context) }
  } catch (error) {
    return { ok: false, error: classifyNetworkError(error, context) }
  }
}

// A settings mistake fails each event with a clear message instead of throwing away the whole batch.
function eventsUrlOrError(settings: Settings): string | ClassifiedError {
  try {
    return eventsUrl(settings)
  } catch (error) {
    return { status: 400, retryable: false, kind: 'configuration', message: (error as Error).message }
  }
}

async function deliverGroup(
  request: RequestClient,
  settings: Settings,
  group: PendingEvent[],
  testEventCode: string | undefined,
  batchSize: number,
  outcomes: EventOutcome[]
): Promise<void> {
  const url = eventsUrlOrError(settings)
  if (typeof url !== 'string') {
    for (const { index, event } of group) outcomes[index] = { kind: 'failed', event, error: url }
    return
  }
  const partnerAgent = settings.partnerAgent
  const report = await deliver(
    group.map((pending) => pending.event),
    {
      batchSize,
      send: (events) =>
        postEvents(request, settings, url, {
          data: events,
          ...(partnerAgent && { partner_agent: partnerAgent }),
          ...(testEventCode && { test_event_code: testEventCode })
        })
    }
  )
  report.results.forEach((result, position) => {
    const { index, event } = group[position]
    outcomes[index] = result.ok
      ? { kind: 'delivered', event, fbtraceId: result.fbtraceId }
      : { kind: 'failed', event, error: result.error }
  })
}

/** The single send path behind perform and performBatch: validate each event, send the valid ones in batches. */
export async function sendEvents(
  request: RequestClient,
  settings: Settings,
  payloads: Payload[]
): Promise<EventOutcome[]> {
  const options = buildOptions(settings)
  const outcomes: EventOutcome[] = new Array(payloads.length)
  const pending: PendingEvent[] = []
  payloads.forEach((payload, index) => {
    const built = buildServerEvent(payload, options)
    if (built.ok) pending.push({ index, event: built.event })
    else outcomes[index] = { kind: 'invalid', message: built.error }
  })
  const batchSize = batchSizeOf(payloads)
  for (const [testEventCode, group] of groupByTestEventCode(payloads, pending, settings)) {
    await deliverGroup(request, settings, group, testEventCode, batchSize, outcomes)
  }
  return outcomes
}

function errorBody(error: ClassifiedError): JSONLikeObject {
  return {
    kind: error.kind,
    retryable: error.retryable,
    ...(error.code !== undefined && { code: error.code }),
    ...(error.subcode !== undefined && { error_subcode: error.subcode }),
    ...(error.fbtraceId !== undefined && { fbtrace_id: error.fbtraceId })
  }
}

export function toMultiStatus(outcomes: EventOutcome[]): MultiStatusResponse {
  const response = new MultiStatusResponse()
  outcomes.forEach((outcome, index) => {
    if (outcome.kind === 'delivered') {
      response.setSuccessResponseAtIndex(index, {
        status: 200,
        sent: outcome.event as unknown as JSONLikeObject,
        body: { fbtrace_id: outcome.fbtraceId ?? null }
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
        body: errorBody(outcome.error)
      })
    }
  })
  return response
}

/** For perform: the error a host expects for one event, its retryability carried by the status. */
export function toThrowable(outcome: Exclude<EventOutcome, { kind: 'delivered' }>): Error {
  if (outcome.kind === 'invalid') return new PayloadValidationError(outcome.message)
  const { error } = outcome
  if (error.kind === 'authentication') return new InvalidAuthenticationError(error.message)
  if (error.retryable)
    return new RetryableError(error.message, error.status as ConstructorParameters<typeof RetryableError>[1])
  return new IntegrationError(error.message, error.kind.toUpperCase(), error.status)
}
