import type { IncomingMessage } from 'node:http'
import { parseAmplitudeUpload, parseWebhookEvent } from './amplitude'
import { basicAuthUser, headerKey, keyHint } from './auth'
import type { LingerBatcher } from './batcher'
import { parseJson, readBody, type BodyResult } from './body'
import { deliverAdmitted, deliverUpload, prepareAdmitted, recordAnswer } from './deliver'
import type { DeliveryContext, EnginePhases } from './deliver'
import { admit, type EventLimits } from './limits'
import type { IngestSource } from './metrics'
import { summarize, type ServiceResult } from './outcome'
import { requestIp, type TrustProxy } from './request-ip'
import { amplitudeError, amplitudeReply, segmentError, segmentReply, webhookError, webhookReply } from './responses'
import type { Endpoint } from './router'
import { parseSegmentBatch, parseSegmentMessage } from './segment'
import type { Reply } from './types'
import type { PreparedInput } from '../runner/engine'
import type { ReadAs } from '../runner/input'

/**
 * One configured key: its pixel's engine in two phases. Each request's events are prepared (mapped and built) once,
 * then a batcher per input format delivers the prepared events of concurrent requests together.
 */
export interface Source {
  keyId: string
  engine: EnginePhases
  segment: LingerBatcher<PreparedInput>
  amplitude: LingerBatcher<PreparedInput>
}

export interface HandlerContext extends DeliveryContext {
  sources: ReadonlyMap<string, Source>
  maxBodyBytes: number
  bodyIdleMs: number
  limits: EventLimits
  trustProxy?: TrustProxy
  now: () => number
  metricsText: () => Promise<string>
}

const UNKNOWN_KEY_NOTE = 'unknown key'

function readRequestBody(req: IncomingMessage, ctx: HandlerContext): Promise<BodyResult> {
  return readBody(req, ctx.maxBodyBytes, ctx.bodyIdleMs)
}

/** A body that was not wholly read closes its connection after the answer. */
function closing(reply: Reply, raw: BodyResult): Reply {
  return !raw.ok && 'closeConnection' in raw && raw.closeConnection ? { ...reply, closeConnection: true } : reply
}

async function answerEvents(
  ctx: HandlerContext,
  protocol: IngestSource,
  source: Source,
  read: ReadAs,
  admission: Parameters<typeof deliverAdmitted>[3]
): Promise<ServiceResult[]> {
  const startedAt = performance.now()
  const prepared = prepareAdmitted(source.engine, read, admission)
  const batcher = read === 'segment' ? source.segment : source.amplitude
  const results = await deliverAdmitted(ctx, protocol, batcher, admission, prepared, startedAt)
  recordAnswer(ctx, protocol, source.keyId, admission.events, results)
  return results
}

async function handleSegment(
  endpoint: Extract<Endpoint, { kind: 'segment-batch' | 'segment-single' }>,
  req: IncomingMessage,
  ctx: HandlerContext,
  receivedAt: number
): Promise<Reply> {
  const raw = await readRequestBody(req, ctx)
  if (!raw.ok) return closing(segmentError(raw.status, raw.reason), raw)
  const headerWriteKey = basicAuthUser(req.headers)
  if (headerWriteKey !== undefined && !ctx.sources.has(headerWriteKey)) {
    return segmentError(401, `unknown write key ${keyHint(headerWriteKey)}`, UNKNOWN_KEY_NOTE)
  }
  const json = parseJson(raw.bytes)
  if (!json.ok) return segmentError(400, json.reason)
  const parsed =
    endpoint.kind === 'segment-batch'
      ? parseSegmentBatch(json.value, receivedAt, ctx.limits)
      : parseSegmentMessage(json.value, endpoint.type, receivedAt, ctx.limits)
  if (!parsed.ok) return segmentError(400, parsed.reason)
  const writeKey = headerWriteKey ?? parsed.writeKey
  if (writeKey === undefined) {
    return segmentError(401, 'no write key: send it as the HTTP Basic user name (or as writeKey in the body)')
  }
  const source = ctx.sources.get(writeKey)
  if (!source) return segmentError(401, `unknown write key ${keyHint(writeKey)}`, UNKNOWN_KEY_NOTE)
  const admission = { events: parsed.messages, refused: parsed.refused }
  const results = await answerEvents(ctx, 'segment', source, 'segment', admission)
  return { ...segmentReply(summarize(results)), keyId: source.keyId }
}

/**
 * An upload with an event refused for good delivers nothing and is answered as Amplitude's 400 naming the refused
 * ones, so the SDK drops exactly those and resends the others, whose one delivery that is (see deliverUpload).
 */
async function handleAmplitudeUpload(req: IncomingMessage, ctx: HandlerContext, receivedAt: number): Promise<Reply> {
  const raw = await readRequestBody(req, ctx)
  if (!raw.ok) return closing(amplitudeError(raw.status, raw.status === 413 ? 'Payload too large' : raw.reason), raw)
  const json = parseJson(raw.bytes)
  if (!json.ok) return amplitudeError(400, `Invalid JSON request body: ${json.reason}`)
  const parsed = parseAmplitudeUpload(json.value, receivedAt, requestIp(req, ctx.trustProxy))
  if (!parsed.ok) {
    const extra = parsed.missingField ? { missing_field: parsed.missingField } : {}
    return amplitudeError(400, parsed.reason, extra, `${parsed.reason} ${parsed.missingField ?? ''}`.trim())
  }
  const source = ctx.sources.get(parsed.apiKey)
  // "Invalid API key" is the prefix on which Amplitude's SDKs drop the batch instead of retrying it.
  if (!source) return amplitudeError(401, `Invalid API key: ${keyHint(parsed.apiKey)}`, {}, UNKNOWN_KEY_NOTE)
  const admission = admit(parsed.events, ctx.limits)
  const results = await deliverUpload(ctx, source.engine, source.amplitude, admission)
  recordAnswer(ctx, 'amplitude', source.keyId, admission.events, results)
  return { ...amplitudeReply(summarize(results), parsed.events, raw.bytes.length, ctx.now()), keyId: source.keyId }
}

async function handleWebhook(req: IncomingMessage, ctx: HandlerContext): Promise<Reply> {
  const raw = await readRequestBody(req, ctx)
  if (!raw.ok) return closing(webhookError(raw.status, raw.reason), raw)
  const key = headerKey(req.headers)
  if (key === undefined) return webhookError(401, 'no key: send Authorization: Bearer <key> or X-Api-Key: <key>')
  const source = ctx.sources.get(key)
  if (!source) return webhookError(401, `unknown key ${keyHint(key)}`, UNKNOWN_KEY_NOTE)
  const json = parseJson(raw.bytes)
  if (!json.ok) return { ...webhookError(400, json.reason), keyId: source.keyId }
  const parsed = parseWebhookEvent(json.value)
  if (!parsed.ok) return { ...webhookError(400, parsed.reason), keyId: source.keyId }
  const results = await answerEvents(ctx, 'webhook', source, 'amplitude', admit([parsed.event], ctx.limits))
  const skipped = results.find((result) => 'skipped' in result)
  const reason = skipped && 'skipped' in skipped ? skipped.skipped : undefined
  return { ...webhookReply(summarize(results), reason), keyId: source.keyId }
}

async function handleMetrics(ctx: HandlerContext): Promise<Reply> {
  const body = await ctx.metricsText()
  return { status: 200, body: undefined, text: { contentType: 'text/plain; version=0.0.4; charset=utf-8', body } }
}

export async function handle(endpoint: Endpoint, req: IncomingMessage, ctx: HandlerContext): Promise<Reply> {
  const receivedAt = ctx.now()
  switch (endpoint.kind) {
    case 'health':
      return { status: 200, body: { status: 'ok' } }
    case 'metrics':
      return handleMetrics(ctx)
    case 'segment-batch':
    case 'segment-single':
      return handleSegment(endpoint, req, ctx, receivedAt)
    case 'amplitude-upload':
      return handleAmplitudeUpload(req, ctx, receivedAt)
    case 'amplitude-webhook':
      return handleWebhook(req, ctx)
  }
}
