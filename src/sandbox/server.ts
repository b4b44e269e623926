/**
 * The sandbox's HTTP edge: Meta's events and pixel routes, the control routes (/__sandbox/…), fault injection and
 * start/stop. Over 250 lines because each route is a few lines of request handling around one pure check
 * (validate-request, faults, outcomes) that lives in its own module.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEFAULT_MAX_BODY_BYTES, parseParams, readBody } from './body'
import {
  bodyTooLargeError,
  invalidJsonError,
  invalidTokenError,
  newFbtraceId,
  rateLimitError,
  serverError,
  unknownFieldError,
  unknownObjectError,
  unknownPathError,
  unknownVersionError,
  type GraphError
} from './errors'
import {
  BAD_GATEWAY_HTML,
  DEFAULT_RATE_LIMIT_CODE,
  DEFAULT_SERVER_ERROR_STATUS,
  DEFAULT_SLOW_DELAY_MS,
  faultProblem,
  rateLimitHeaders
} from './faults'
import { parseOutcomes } from './outcomes'
import { handlePage } from './page'
import { SandboxState } from './state'
import { sendScripted } from './script'
import type { ExtraPage, Fault, GraphRequest, Sandbox, SandboxOptions } from './types'
import { findRequestError } from './validate-request'
import { parseJsonList } from './json-list'

/** Only loopback: the sandbox accepts any token by default and must never be reachable from the network. */
const HOST = '127.0.0.1'
const VERSION = /^v\d+\.0$/
const DIGITS = /^\d+$/
const CONTROL_BODY_LIMIT = 1024 * 1024
const PIXEL_FIELDS = ['id', 'name'] as const

interface Context {
  state: SandboxState
  accessTokens?: readonly string[]
  pixelIds?: readonly string[]
  now: () => number
  maxBodyBytes: number
  keepEvents: boolean
  extraPages?: ExtraPage
  answer?: SandboxOptions['answer']
  /** Aborted by close(), so slow faults do not keep the process alive. */
  closing: AbortController
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers })
  res.end(payload)
}

function sendGraphError(res: ServerResponse, error: GraphError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, error.body, { 'x-fb-trace-id': error.body.error.fbtrace_id, ...headers })
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** Bearer (or Graph's older `OAuth`) header first, then `access_token` in the body, then in the query string. */
function findToken(req: IncomingMessage, params: Record<string, unknown>, url: URL): string | undefined {
  const header = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  if (header) return header[1]
  if (typeof params.access_token === 'string') return params.access_token
  return url.searchParams.get('access_token') ?? undefined
}

function isAcceptedToken(ctx: Context, token: string | undefined): boolean {
  if (!token) return false
  return ctx.accessTokens === undefined || ctx.accessTokens.includes(token)
}

function isKnownPixel(ctx: Context, pixelId: string): boolean {
  return ctx.pixelIds === undefined ? DIGITS.test(pixelId) : ctx.pixelIds.includes(pixelId)
}

/** Answers the request for a fault. Returns true when normal processing should continue (only `slow`). */
async function applyFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: Context,
  pixelId: string
): Promise<boolean> {
  const trace = newFbtraceId()
  switch (fault.kind) {
    case 'rate_limit': {
      const code = fault.code ?? DEFAULT_RATE_LIMIT_CODE
      sendGraphError(res, rateLimitError(code, trace), rateLimitHeaders(code, pixelId))
      return false
    }
    case 'server_error':
      sendGraphError(res, serverError(fault.status ?? DEFAULT_SERVER_ERROR_STATUS, trace))
      return false
    case 'slow':
      // Processing continues even if the client gave up meanwhile: "timed out but delivered" is exactly the
      // case event_id deduplication exists for, so clients should be able to reproduce it.
      await sleep(fault.delayMs ?? DEFAULT_SLOW_DELAY_MS, undefined, { signal: ctx.closing.signal })
      return true
    case 'drop':
      // No response at all: the client sees the connection close under it, like a network failure.
      req.socket.destroy()
      return false
    case 'html':
      res.writeHead(502, { 'content-type': 'text/html; charset=UTF-8' })
      res.end(BAD_GATEWAY_HTML)
      return false
  }
}

async function handleEvents(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  version: string,
  pixelId: string,
  ctx: Context
): Promise<void> {
  const { state } = ctx
  state.requests += 1
  const fault = state.faults.take()
  // The body is read before any fault so that a fault answer never races the client's upload.
  const raw = await readBody(req, ctx.maxBodyBytes)
  if (fault && !(await applyFault(fault, req, res, ctx, pixelId))) return
  const params = raw.tooLarge ? undefined : await parseParams(raw.bytes, req.headers['content-type'])
  if (ctx.answer) {
    const text = raw.tooLarge ? undefined : raw.bytes.toString('utf8')
    const request: GraphRequest = { method: 'POST', path: url.pathname, pixelId, body: params, raw: text }
    if (await answeredByScript(res, ctx, request)) return
  }

  const trace = newFbtraceId()
  let eventCount = 0
  const reject = (error: GraphError): void => {
    state.version++
    state.rejected.push({
      pixelId,
      receivedAt: ctx.now(),
      status: error.status,
      error: { ...error.body.error },
      eventCount
    })
    sendGraphError(res, error)
  }

  if (!VERSION.test(version)) return reject(unknownVersionError(version, trace))
  if (raw.tooLarge) return reject(bodyTooLargeError(ctx.maxBodyBytes, trace))
  if (!params) return reject(invalidJsonError(trace))
  eventCount = Array.isArray(params.data) ? params.data.length : 0
  if (!isAcceptedToken(ctx, findToken(req, params, url))) return reject(invalidTokenError(trace))
  if (!isKnownPixel(ctx, pixelId)) return reject(unknownObjectError(pixelId, 'post', trace))
  const error = findRequestError(params, ctx.now(), trace)
  if (error) return reject(error)

  const events = params.data as Record<string, unknown>[]
  const receivedAt = ctx.now()
  const testEventCode = params.test_event_code as string | undefined
  const partnerAgent = params.partner_agent as string | undefined
  if (ctx.keepEvents) {
    for (const event of events) state.received.push({ pixelId, testEventCode, partnerAgent, receivedAt, event })
    state.version++
  }
  sendJson(res, 200, { events_received: events.length, messages: [], fbtrace_id: trace }, { 'x-fb-trace-id': trace })
}

/** True when the test's answer hook answered the request in the sandbox's stead. */
async function answeredByScript(res: ServerResponse, ctx: Context, request: GraphRequest): Promise<boolean> {
  const answer = await ctx.answer?.(request)
  if (answer === undefined) return false
  sendScripted(res, answer)
  return true
}

/** GET /{version}/{pixel}?fields=id,name: what a destination's "test authentication" calls. */
async function handlePixel(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  version: string,
  pixelId: string,
  ctx: Context
) {
  if (await answeredByScript(res, ctx, { method: 'GET', path: url.pathname, pixelId })) return
  const trace = newFbtraceId()
  if (!VERSION.test(version)) return sendGraphError(res, unknownVersionError(version, trace))
  if (!isAcceptedToken(ctx, findToken(req, {}, url))) return sendGraphError(res, invalidTokenError(trace))
  if (!isKnownPixel(ctx, pixelId)) return sendGraphError(res, unknownObjectError(pixelId, 'get', trace))
  const requested = (url.searchParams.get('fields') ?? PIXEL_FIELDS.join(','))
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean)
  const unknown = requested.find((field) => !(PIXEL_FIELDS as readonly string[]).includes(field))
  if (unknown !== undefined) return sendGraphError(res, unknownFieldError(unknown, trace))
  const node: Record<string, string> = { id: pixelId }
  if (requested.includes('name')) node.name = `Sandbox Pixel ${pixelId}`
  sendJson(res, 200, node, { 'x-fb-trace-id': trace })
}

async function handleControl(req: IncomingMessage, res: ServerResponse, path: string, ctx: Context): Promise<void> {
  const { state } = ctx
  if (req.method === 'GET' && path === '/__sandbox/events') return sendJson(res, 200, state.snapshot())
  if (req.method === 'POST' && path === '/__sandbox/reset') {
    await readBody(req, CONTROL_BODY_LIMIT)
    state.reset()
    return sendJson(res, 200, { reset: true })
  }
  if (req.method === 'POST' && path === '/__sandbox/faults') {
    const raw = await readBody(req, CONTROL_BODY_LIMIT)
    const faults = parseFaultList(raw.tooLarge ? undefined : raw.bytes.toString('utf8'))
    if (typeof faults === 'string') return sendJson(res, 400, { error: { message: faults } })
    state.faults.push(...faults)
    return sendJson(res, 200, { queued: faults.length, pending: state.faults.pending() })
  }
  if (req.method === 'POST' && path === '/__sandbox/outcomes') {
    const raw = await readBody(req, CONTROL_BODY_LIMIT)
    const outcomes = parseOutcomes(raw.tooLarge ? undefined : raw.bytes.toString('utf8'), ctx.now())
    if (typeof outcomes === 'string') return sendJson(res, 400, { error: { message: outcomes } })
    state.recordOutcomes(outcomes)
    return sendJson(res, 200, { recorded: outcomes.length })
  }
  sendJson(res, 404, { error: { message: `Unknown sandbox endpoint: ${req.method} ${path}` } })
}

/** A JSON array of faults (a single fault object is accepted too), or the reason it is not one. */
function parseFaultList(text: string | undefined): Fault[] | string {
  const list = parseJsonList(text, 'faults')
  if (typeof list === 'string') return list
  for (const [index, fault] of list.entries()) {
    const problem = faultProblem(fault)
    if (problem) return `Fault ${index}: ${problem}`
  }
  return list as Fault[]
}

async function route(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${HOST}`)
  const path = url.pathname
  if (await handlePage(req, res, url, ctx.state, ctx.extraPages)) return
  if (path.startsWith('/__sandbox/')) return handleControl(req, res, path, ctx)
  const segments = path.split('/').slice(1).map(decodeSegment)
  if (req.method === 'POST' && segments.length === 3 && segments[2] === 'events') {
    return handleEvents(req, res, url, segments[0], segments[1], ctx)
  }
  if (req.method === 'GET' && segments.length === 2 && segments[1] !== '') {
    return handlePixel(req, res, url, segments[0], segments[1], ctx)
  }
  await readBody(req, CONTROL_BODY_LIMIT)
  sendGraphError(res, unknownPathError(path, newFbtraceId()))
}

/** Last resort for unexpected failures (including an aborted upload): never leave a request hanging. */
function failRequest(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return void res.destroy()
  sendJson(res, 500, { error: { message: 'Sandbox internal error', type: 'SandboxException', code: 1 } })
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, HOST, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const state = new SandboxState()
  const ctx: Context = {
    state,
    accessTokens: options.accessTokens,
    pixelIds: options.pixelIds,
    now: options.now ?? Date.now,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    keepEvents: options.keepEvents ?? true,
    extraPages: options.extraPages,
    answer: options.answer,
    closing: new AbortController()
  }
  const server = createServer((req, res) => {
    route(req, res, ctx).catch(() => failRequest(res))
  })
  const port = await listen(server, options.port ?? 0)
  let closed: Promise<void> | undefined
  // Idempotent, so a test's explicit close() and its afterEach cleanup can both call it.
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve, reject) => {
      ctx.closing.abort()
      server.close((error) => (error ? reject(error) : resolve()))
      server.closeAllConnections()
    })
    return closed
  }

  return {
    url: `http://${HOST}:${port}`,
    received: () => state.snapshot().received,
    rejected: () => state.snapshot().rejected,
    requests: () => state.requests,
    injectFaults: (...faults) => state.faults.push(...faults),
    reset: () => state.reset(),
    recordOutcomes: (...outcomes) => state.recordOutcomes(outcomes),
    close
  }
}
