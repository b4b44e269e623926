import type { IncomingMessage } from 'node:http'
import type { Engine } from '../runner/engine'
import { parseAmplitudeUpload, parseWebhookEvent, type InvalidEvent } from './amplitude'
import { requestIp } from './request-ip'
import { basicAuthUser, headerKey, keyHint } from './auth'
import type { LingerBatcher } from './batcher'
import { parseJson, readBody } from './body'
import { summarize } from './outcome'
import {
  amplitudeError,
  amplitudeInvalid,
  amplitudeReply,
  segmentError,
  segmentReply,
  webhookError,
  webhookReply
} from './responses'
import type { Endpoint } from './router'
import { parseSegmentBatch, parseSegmentMessage } from './segment'
import type { Reply } from './types'

/** One configured key: its pixel's engine and a batcher per input format. */
export interface Source {
  keyId: string
  engine: Engine
  segment: LingerBatcher
  amplitude: LingerBatcher
}

export interface HandlerContext {
  sources: ReadonlyMap<string, Source>
  maxBodyBytes: number
  now: () => number
}

const UNKNOWN_KEY_NOTE = 'unknown key'

async function handleSegment(
  endpoint: Extract<Endpoint, { kind: 'segment-batch' | 'segment-single' }>,
  req: IncomingMessage,
  ctx: HandlerContext,
  receivedAt: number
): Promise<Reply> {
  const raw = await readBody(req, ctx.maxBodyBytes)
  if (!raw.ok) return segmentError(raw.status, raw.reason)
  const headerWriteKey = basicAuthUser(req.headers)
  if (headerWriteKey !== undefined && !ctx.sources.has(headerWriteKey)) {
    return segmentError(401, `unknown write key ${keyHint(headerWriteKey)}`, UNKNOWN_KEY_NOTE)
  }
  const json = parseJson(raw.bytes)
  if (!json.ok) return segmentError(400, json.reason)
  const parsed =
    endpoint.kind === 'segment-batch'
      ? parseSegmentBatch(json.value, receivedAt)
      : parseSegmentMessage(json.value, endpoint.type, receivedAt)
  if (!parsed.ok) return segmentError(400, parsed.reason)
  const writeKey = headerWriteKey ?? parsed.writeKey
  if (writeKey === undefined) {
    return segmentError(401, 'no write key: send it as the HTTP Basic user name (or as writeKey in the body)')
  }
  const source = ctx.sources.get(writeKey)
  if (!source) return segmentError(401, `unknown write key ${keyHint(writeKey)}`, UNKNOWN_KEY_NOTE)
  const results = await source.segment.submit(parsed.messages)
  return { ...segmentReply(summarize(results)), keyId: source.keyId }
}

/** Events the destination refuses whatever happens at Meta, found by a dry run before anything is sent. */
async function refusedEvents(engine: Engine, events: unknown[]): Promise<InvalidEvent[]> {
  const mapped = await engine.map(events, 'amplitude')
  return mapped.flatMap((result, index) =>
    'retryable' in result && !result.retryable ? [{ index, error: result.error }] : []
  )
}

async function handleAmplitudeUpload(req: IncomingMessage, ctx: HandlerContext, receivedAt: number): Promise<Reply> {
  const raw = await readBody(req, ctx.maxBodyBytes)
  if (!raw.ok) return amplitudeError(raw.status, raw.status === 413 ? 'Payload too large' : raw.reason)
  const json = parseJson(raw.bytes)
  if (!json.ok) return amplitudeError(400, `Invalid JSON request body: ${json.reason}`)
  const parsed = parseAmplitudeUpload(json.value, receivedAt, requestIp(req))
  if (!parsed.ok) {
    const extra = parsed.missingField ? { missing_field: parsed.missingField } : {}
    return amplitudeError(400, parsed.reason, extra, `${parsed.reason} ${parsed.missingField ?? ''}`.trim())
  }
  const source = ctx.sources.get(parsed.apiKey)
  // "Invalid API key" is the prefix on which Amplitude's SDKs drop the batch instead of retrying it.
  if (!source) return amplitudeError(401, `Invalid API key: ${keyHint(parsed.apiKey)}`, {}, UNKNOWN_KEY_NOTE)
  // A batch with refused events is answered before anything is sent: the SDK drops those and resends the others.
  const refused = await refusedEvents(source.engine, parsed.events)
  if (refused.length > 0) return { ...amplitudeInvalid(parsed.events, refused), keyId: source.keyId }
  const results = await source.amplitude.submit(parsed.events)
  return { ...amplitudeReply(summarize(results), parsed.events, raw.bytes.length, ctx.now()), keyId: source.keyId }
}

async function handleWebhook(req: IncomingMessage, ctx: HandlerContext): Promise<Reply> {
  const raw = await readBody(req, ctx.maxBodyBytes)
  if (!raw.ok) return webhookError(raw.status, raw.reason)
  const key = headerKey(req.headers)
  if (key === undefined) return webhookError(401, 'no key: send Authorization: Bearer <key> or X-Api-Key: <key>')
  const source = ctx.sources.get(key)
  if (!source) return webhookError(401, `unknown key ${keyHint(key)}`, UNKNOWN_KEY_NOTE)
  const json = parseJson(raw.bytes)
  if (!json.ok) return { ...webhookError(400, json.reason), keyId: source.keyId }
  const parsed = parseWebhookEvent(json.value)
  if (!parsed.ok) return { ...webhookError(400, parsed.reason), keyId: source.keyId }
  const results = await source.amplitude.submit([parsed.event])
  const skipped = results.find((result) => 'skipped' in result)
  const reason = skipped && 'skipped' in skipped ? skipped.skipped : undefined
  return { ...webhookReply(summarize(results), reason), keyId: source.keyId }
}

export async function handle(endpoint: Endpoint, req: IncomingMessage, ctx: HandlerContext): Promise<Reply> {
  const receivedAt = ctx.now()
  switch (endpoint.kind) {
    case 'health':
      return { status: 200, body: { status: 'ok' } }
    case 'segment-batch':
    case 'segment-single':
      return handleSegment(endpoint, req, ctx, receivedAt)
    case 'amplitude-upload':
      return handleAmplitudeUpload(req, ctx, receivedAt)
    case 'amplitude-webhook':
      return handleWebhook(req, ctx)
  }
}
