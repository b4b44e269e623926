/**
 * A tiny stand-in for Meta's Graph API on 127.0.0.1: it records every request body and answers what the
 * fixture says Meta answers, or Meta's success `{events_received: n}`.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { MetaResponse } from './fixture'

export interface RecordedRequest {
  method: string
  path: string
  authorization?: string
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown
}

export interface FakeGraph {
  /** Base URL for META_GRAPH_URL, e.g. http://127.0.0.1:40123 */
  url: string
  requests: RecordedRequest[]
  /** Forget recorded requests and answer `response` from now on (success when undefined). */
  reset(response?: MetaResponse): void
  close(): Promise<void>
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function eventCount(body: unknown): number {
  const data = (body as { data?: unknown } | undefined)?.data
  return Array.isArray(data) ? data.length : 0
}

function answer(response: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const isText = typeof body === 'string'
  const text = body === undefined ? '' : isText ? body : JSON.stringify(body)
  const contentType = isText ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8'
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')
  response.writeHead(status, { ...(text !== '' && !hasContentType && { 'content-type': contentType }), ...headers })
  response.end(text)
}

export async function startFakeGraph(): Promise<FakeGraph> {
  const requests: RecordedRequest[] = []
  let configured: MetaResponse | undefined
  const server = createServer((request, response) => {
    readBody(request)
      .then((text) => {
        const body = parse(text)
        requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          authorization: request.headers.authorization,
          body
        })
        if (configured) answer(response, configured.status, configured.headers ?? {}, configured.body)
        else answer(response, 200, {}, { events_received: eventCount(body), messages: [], fbtrace_id: 'AConformance' })
      })
      .catch(() => answer(response, 500, {}, ''))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset(response) {
      requests.length = 0
      configured = response
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
