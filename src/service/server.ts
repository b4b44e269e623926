import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RunnerConfig } from '../runner/config'
import { Engine, type EngineOptions, type PreparedInputs } from '../runner/engine'
import { keyFingerprint } from './auth'
import { LingerBatcher } from './batcher'
import { DEFAULT_BODY_IDLE_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES } from './body'
import { handle, type HandlerContext, type Source } from './handlers'
import { handleMappingRoute } from '../pages/mapping-route'
import { DEFAULT_EVENT_LIMITS } from './limits'
import { ServiceMetrics } from './metrics'
import { route } from './router'
import type { IngestService, Reply, ServiceOptions } from './types'

const DEFAULT_HOST = '127.0.0.1'
const DEFAULT_LINGER_MS = 25
/** Short: the SDK in front retries on its own, with its own backoff, once the service answers 503/429. */
export const DEFAULT_SERVICE_RETRY = { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 500 }
/**
 * The time budget per request. Segment's analytics-node and Amplitude's analytics-node give up after 10 s (and
 * resend); an answer after that is lost and the resend duplicates the delivery. 8 s leaves them 2 s of network.
 */
export const DEFAULT_REQUEST_BUDGET_MS = 8_000
/** Each request to Meta: two attempts and the longest backoff (2 × 3 s + 0.5 s) fit within the budget. */
export const DEFAULT_META_REQUEST_TIMEOUT_MS = 3_000
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

function engineOptions(options: EngineOptions | undefined): EngineOptions {
  return {
    requestTimeoutMs: DEFAULT_META_REQUEST_TIMEOUT_MS,
    ...options,
    retry: { ...DEFAULT_SERVICE_RETRY, ...options?.retry }
  }
}

/** One engine and batcher pair per destination config: keys that share a config share its batches. */
function buildSources(options: ServiceOptions): Map<string, Source> {
  const entries = Object.entries(options.sources ?? {})
  if (entries.length === 0) throw new Error('The ingest service needs at least one source key')
  const lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS
  const shared = new Map<RunnerConfig, Omit<Source, 'keyId'>>()
  const sources = new Map<string, Source>()
  for (const [key, config] of entries) {
    // The key is a credential: errors name it by fingerprint only.
    if (!key.trim()) throw new Error('A source key must not be empty')
    let pipeline = shared.get(config)
    if (!pipeline) {
      let engine: Engine
      try {
        engine = new Engine(config, engineOptions(options.engine))
      } catch (error) {
        throw new Error(`Invalid destination settings for source ${keyFingerprint(key)}: ${(error as Error).message}`)
      }
      const deliver = async (prepared: PreparedInputs) => (await engine.deliver(prepared)).results
      pipeline = {
        engine,
        segment: new LingerBatcher(deliver, lingerMs),
        amplitude: new LingerBatcher(deliver, lingerMs)
      }
      shared.set(config, pipeline)
    }
    sources.set(key, { ...pipeline, keyId: keyFingerprint(key) })
  }
  return sources
}

function routingReply(match: Exclude<ReturnType<typeof route>, { ok: true }>): Reply {
  if (match.status === 404) return { status: 404, body: { error: 'not found' }, note: 'no such endpoint' }
  return {
    status: 405,
    body: { error: `method not allowed; use ${match.allow}` },
    headers: { allow: match.allow },
    note: 'wrong method'
  }
}

function respond(res: ServerResponse, reply: Reply, closing: boolean): void {
  if (res.headersSent || res.destroyed) return
  const close = closing || reply.closeConnection === true
  const payload = reply.text ? reply.text.body : JSON.stringify(reply.body)
  res.writeHead(reply.status, {
    'content-type': reply.text ? reply.text.contentType : 'application/json; charset=utf-8',
    ...(close && { connection: 'close' }),
    ...reply.headers
  })
  // A body left unread (declared too large, or stalled) is not waited for: the socket goes with the answer.
  if (reply.closeConnection) res.once('finish', () => res.socket?.destroy())
  res.end(payload)
}

function logLine(req: IncomingMessage, pathname: string, reply: Reply, startedAt: number): string {
  const parts = [req.method ?? '-', pathname, String(reply.status), `${Math.round(performance.now() - startedAt)}ms`]
  if (reply.keyId) parts.push(`key=${reply.keyId}`)
  if (reply.note) parts.push(reply.note)
  return parts.join(' ')
}

/** Only the path is ever logged or routed on: a query string could carry a key. */
function pathnameOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://service.invalid').pathname
  } catch {
    return '/'
  }
}

function handlerContext(options: ServiceOptions, sources: Map<string, Source>, metrics: ServiceMetrics) {
  const log = options.log ?? (() => undefined)
  const ctx: HandlerContext = {
    sources,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    bodyIdleMs: options.bodyIdleTimeoutMs ?? DEFAULT_BODY_IDLE_TIMEOUT_MS,
    limits: { ...DEFAULT_EVENT_LIMITS, ...options.eventLimits },
    trustProxy: options.trustProxy,
    budgetMs: options.requestBudgetMs ?? DEFAULT_REQUEST_BUDGET_MS,
    metrics,
    log,
    now: () => Date.now(),
    metricsText: options.metricsText ?? (() => metrics.registry.metrics())
  }
  return ctx
}

/** Node's own limits on how long headers and the whole request may take (a stalled client holds nothing). */
function timeoutOptions(options: ServiceOptions) {
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS
  const requestTimeout = Math.max(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, headersTimeout)
  // Node checks both only this often (30 s by default), which would stretch a short timeout.
  const connectionsCheckingInterval = Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4)))
  return { headersTimeout, requestTimeout, connectionsCheckingInterval }
}

export async function startIngestService(options: ServiceOptions): Promise<IngestService> {
  const sources = buildSources(options)
  const metrics = new ServiceMetrics()
  const ctx = handlerContext(options, sources, metrics)
  const log = ctx.log
  const handling = new Set<Promise<void>>()
  let closing = false

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const startedAt = performance.now()
    const pathname = pathnameOf(req)
    if (await handleMappingRoute(req, res, pathname)) return
    const match = route(req.method, pathname)
    let reply: Reply
    try {
      reply = match.ok ? await handle(match.endpoint, req, ctx) : routingReply(match)
    } catch (error) {
      // A body that stops half-way (client gone) ends up here; anything else is a bug, answered as retryable.
      reply = { status: 500, body: { error: 'internal error' }, note: `internal error: ${(error as Error).name}` }
    }
    if (!match.ok) req.resume()
    respond(res, reply, closing)
    const endpoint = match.ok ? match.endpoint.kind : 'none'
    metrics.latency.observe({ endpoint, status: String(reply.status) }, (performance.now() - startedAt) / 1000)
    log(logLine(req, pathname, reply, startedAt))
  }

  const server = createServer(timeoutOptions(options), (req, res) => {
    const task = serve(req, res).finally(() => handling.delete(task))
    handling.add(task)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? DEFAULT_HOST, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address

  let closed: Promise<void> | undefined
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      // Requests already being read still join a batch; from now on every batch is sent at once.
      const batchers = [...new Set([...sources.values()].flatMap((source) => [source.segment, source.amplitude]))]
      while (handling.size > 0) {
        await Promise.all([...batchers.map((batcher) => batcher.drain()), ...handling])
      }
      await Promise.all(batchers.map((batcher) => batcher.drain()))
      server.closeIdleConnections()
      await stopped
    })()
    return closed
  }

  return { url: `http://${host}:${address.port}`, close, metrics: metrics.registry }
}
