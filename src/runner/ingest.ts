/**
 * The one ingestion front of the CLI and the ingest service: what each input is read as (detected once), the time
 * it gets when it carries none (the rule Segment's and Amplitude's APIs apply on receipt), and the messageId a
 * Segment message without one gets. What comes out goes to Engine.send / Engine.map with its per-input sources.
 */
import { contentId } from '../lib/content-id'
import { isRecord } from '../lib/is-record'
import { readAs, type InputSource, type ReadAs } from './input'

/** When and how an input arrived. */
export interface Receipt {
  /** Time of receipt, ms since epoch. */
  receivedAt: number
  /** A Segment batch's `sentAt`, which a message's own `sentAt` overrides. */
  sentAt?: unknown
}

/** Keys the receiving API consumes; they are not part of the message and never part of its derived messageId. */
const TRANSPORT_KEYS = ['writeKey', 'sentAt', 'receivedAt'] as const

const missing = (value: unknown) => value === undefined || value === null || value === ''

function dateMs(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  const ms = typeof value === 'number' ? value : Date.parse(value)
  return Number.isFinite(ms) ? ms : undefined
}

/**
 * Segment's rule: a message's own `timestamp` wins; else `receivedAt - (sentAt - originalTimestamp)`, which corrects
 * a device clock that is off; else `originalTimestamp`; else the time of receipt.
 */
export function segmentTimestamp(message: Record<string, unknown>, receipt: Receipt): unknown {
  if (!missing(message.timestamp)) return message.timestamp
  const original = dateMs(message.originalTimestamp)
  const sent = dateMs(message.sentAt ?? receipt.sentAt)
  if (original !== undefined && sent !== undefined)
    return new Date(receipt.receivedAt - (sent - original)).toISOString()
  if (original !== undefined) return message.originalTimestamp
  return new Date(receipt.receivedAt).toISOString()
}

/**
 * A message missing its messageId gets one derived from its content, so that a resend of the same message carries
 * the same id and Meta drops the copy (transport keys and the fields stamped on receipt are left out of the hash).
 */
export function derivedMessageId(message: Record<string, unknown>): string | undefined {
  const content = { ...message }
  for (const key of TRANSPORT_KEYS) delete content[key]
  try {
    return contentId('svc-', content)
  } catch {
    // Nesting too deep to serialise: the event goes without an id; the destination decides whether it can go at all.
    return undefined
  }
}

/** A Segment message with its messageId and timestamp as Segment's API would give them; the input is not modified. */
export function stampSegment(message: Record<string, unknown>, receipt: Receipt): Record<string, unknown> {
  const messageId =
    typeof message.messageId === 'string' && message.messageId.trim() ? message.messageId : derivedMessageId(message)
  return {
    ...message,
    ...(messageId !== undefined && { messageId }),
    timestamp: segmentTimestamp(message, receipt)
  }
}

/**
 * Amplitude's rule (HTTP V2 API: "if time is not sent with the event, it will be set to the request upload time"):
 * an event with neither `time` nor `event_time` gets `time`, in ms, which both of its formats read.
 */
export function stampAmplitude(event: Record<string, unknown>, receipt: Receipt): Record<string, unknown> {
  return missing(event.time) && missing(event.event_time) ? { ...event, time: receipt.receivedAt } : event
}

/** One input as received: what it is read as, and its stamped form (anything not an object is passed on as is). */
export function ingestOne(input: unknown, source: InputSource, receipt: Receipt): { input: unknown; source: ReadAs } {
  const from = readAs(input, source)
  if (!isRecord(input)) return { input, source: from }
  return { input: from === 'segment' ? stampSegment(input, receipt) : stampAmplitude(input, receipt), source: from }
}

/** Every input through ingestOne: the inputs to hand the engine, and the source of each for Engine.send / map. */
export function ingest(
  inputs: unknown[],
  source: InputSource,
  receipt: Receipt
): { inputs: unknown[]; sources: ReadAs[] } {
  const ingested = inputs.map((input) => ingestOne(input, source, receipt))
  return { inputs: ingested.map((item) => item.input), sources: ingested.map((item) => item.source) }
}
