import { isRecord } from '../lib/is-record'
import { stampSegment } from '../runner/ingest'
import { DEFAULT_EVENT_LIMITS, eventLimitProblem, type Admission, type EventLimits, type LimitProblem } from './limits'

/** The Segment HTTP Tracking API's single-message endpoints; the path sets the message type. */
export const SEGMENT_SINGLE_TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const
export type SegmentSingleType = (typeof SEGMENT_SINGLE_TYPES)[number]

/** `messages` holds every message at its position; those over the limits are left as sent and listed in `refused`. */
export type SegmentParse =
  | { ok: true; writeKey?: string; messages: unknown[]; refused: Map<number, LimitProblem> }
  | { ok: false; reason: string }

function bodyWriteKey(body: Record<string, unknown>): string | undefined {
  return typeof body.writeKey === 'string' && body.writeKey.trim() ? body.writeKey.trim() : undefined
}

/** A batch's context / integrations under each message's own, one level deep, as Segment's API merges them. */
function mergeDefaults(batchValue: unknown, messageValue: unknown): unknown {
  if (!isRecord(batchValue)) return messageValue
  if (messageValue !== undefined && !isRecord(messageValue)) return messageValue
  const merged: Record<string, unknown> = { ...batchValue }
  for (const [key, value] of Object.entries(messageValue ?? {})) {
    merged[key] = isRecord(merged[key]) && isRecord(value) ? { ...(merged[key] as object), ...value } : value
  }
  return merged
}

interface BatchDefaults {
  context?: unknown
  integrations?: unknown
  sentAt?: unknown
  type?: SegmentSingleType
}

function normalizeMessage(input: unknown, defaults: BatchDefaults, receivedAt: number): unknown {
  // Not an object: passed on as is, so the engine reports it as a bad event without failing the others.
  if (!isRecord(input)) return input
  const message: Record<string, unknown> = { ...input }
  if (defaults.type) message.type = defaults.type
  const context = mergeDefaults(defaults.context, message.context)
  if (context !== undefined) message.context = context
  const integrations = mergeDefaults(defaults.integrations, message.integrations)
  if (integrations !== undefined) message.integrations = integrations
  const stamped = stampSegment(message, { receivedAt, sentAt: defaults.sentAt })
  delete stamped.writeKey
  return { ...stamped, receivedAt: new Date(receivedAt).toISOString() }
}

/**
 * Each message is checked against the limits before anything walks it (the derived messageId hashes the whole
 * message): one over them is refused on its own and the others are normalised as usual.
 */
function admitMessages(
  inputs: unknown[],
  defaults: BatchDefaults,
  receivedAt: number,
  limits: EventLimits
): Admission & { messages: unknown[] } {
  const refused = new Map<number, LimitProblem>()
  const messages = inputs.map((input, index) => {
    const problem = eventLimitProblem(input, limits)
    if (!problem) return normalizeMessage(input, defaults, receivedAt)
    refused.set(index, problem)
    return input
  })
  return { events: messages, messages, refused }
}

/** `POST /v1/batch`: `{ batch: [...], context?, integrations?, sentAt?, writeKey? }`. */
export function parseSegmentBatch(
  body: unknown,
  receivedAt: number,
  limits: EventLimits = DEFAULT_EVENT_LIMITS
): SegmentParse {
  if (!isRecord(body)) return { ok: false, reason: 'the body must be a JSON object with a "batch" array' }
  if (!Array.isArray(body.batch)) return { ok: false, reason: 'the body must have a "batch" array of messages' }
  const defaults = { context: body.context, integrations: body.integrations, sentAt: body.sentAt }
  const { messages, refused } = admitMessages(body.batch, defaults, receivedAt, limits)
  return { ok: true, writeKey: bodyWriteKey(body), messages, refused }
}

/** `POST /v1/track` and the other single-message endpoints: the body is one message, its type set by the path. */
export function parseSegmentMessage(
  body: unknown,
  type: SegmentSingleType,
  receivedAt: number,
  limits: EventLimits = DEFAULT_EVENT_LIMITS
): SegmentParse {
  if (!isRecord(body)) return { ok: false, reason: `the body must be one ${type} message (a JSON object)` }
  const { messages, refused } = admitMessages([body], { type }, receivedAt, limits)
  return { ok: true, writeKey: bodyWriteKey(body), messages, refused }
}
