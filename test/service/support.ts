import { createHash } from 'node:crypto'
import { request } from 'undici'
import type { RunnerConfig } from '../../src/runner/config'
import { startSandbox, type Sandbox } from '../../src/sandbox'
import { startIngestService, type IngestService, type ServiceOptions } from '../../src/service'
import { ACCESS_TOKEN, PIXEL_ID, SAFARI_UA, settings } from '../helpers'

export const SECOND_PIXEL_ID = '987654321098765'
export const WRITE_KEY = 'seg-write-key-0123456789'
export const SECOND_WRITE_KEY = 'seg-write-key-second-pixel'
export const API_KEY = 'amp-api-key-0123456789abcdef'
export const EMAIL = 'Jane.Doe@Example.com'
export const EMAIL_HASH = createHash('sha256').update('jane.doe@example.com').digest('hex')

export const firstPixel: RunnerConfig = { settings, amplitudeEventMap: {} }
export const secondPixel: RunnerConfig = { settings: { ...settings, pixelId: SECOND_PIXEL_ID }, amplitudeEventMap: {} }

/** Fast enough for tests: the service's own retries are still made, only their waits are cut short. */
export const FAST_RETRY = { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } }

export interface Harness {
  sandbox: Sandbox
  service: IngestService
  logs: string[]
}

/** A sandbox standing in for graph.facebook.com and a service in front of it, its engines pointed at the sandbox. */
export async function startHarness(
  options: Partial<ServiceOptions> = {}
): Promise<Harness & { stop(): Promise<void> }> {
  const sandbox = await startSandbox()
  const logs: string[] = []
  const { engine, ...rest } = options
  const service = await startIngestService({
    sources: { [WRITE_KEY]: firstPixel, [API_KEY]: firstPixel, [SECOND_WRITE_KEY]: secondPixel },
    log: (line) => logs.push(line),
    ...rest,
    engine: { ...FAST_RETRY, ...engine, graphUrl: sandbox.url }
  })
  return {
    sandbox,
    service,
    logs,
    async stop() {
      await service.close()
      await sandbox.close()
    }
  }
}

export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`
}

export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A raw HTTP request; the body is sent as given when it is a string or Buffer, else as JSON. */
export async function call(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string> } = {}
): Promise<HttpAnswer> {
  const body =
    options.body === undefined || typeof options.body === 'string' || Buffer.isBuffer(options.body)
      ? (options.body as string | Buffer | undefined)
      : JSON.stringify(options.body)
  const response = await request(url, {
    method: (options.method ?? (body === undefined ? 'GET' : 'POST')) as 'GET',
    headers: { 'content-type': 'application/json', ...options.headers },
    body
  })
  const text = await response.body.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // not JSON: kept as text
  }
  return { status: response.statusCode, headers: response.headers, body: parsed }
}

/** A Segment "Order Completed" that the Purchase preset maps, happening now. */
export function orderCompleted(messageId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId,
    userId: 'user-42',
    timestamp: new Date().toISOString(),
    context: {
      ip: '203.0.113.7',
      userAgent: SAFARI_UA,
      page: { url: 'https://shop.example.com/thank-you' },
      traits: { email: EMAIL }
    },
    properties: { order_id: `order-${messageId}`, revenue: 25, currency: 'USD' },
    ...extra
  }
}

/** An Amplitude HTTP V2 purchase event, happening now. */
export function amplitudePurchase(insertId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_type: 'Order Completed',
    user_id: 'user-12345',
    device_id: 'device-12345',
    time: Date.now(),
    insert_id: insertId,
    ip: '203.0.113.7',
    user_agent: SAFARI_UA,
    user_properties: { email: EMAIL },
    event_properties: {
      revenue: 25,
      currency: 'USD',
      order_id: `order-${insertId}`,
      '[Amplitude] Page Location': 'https://shop.example.com/thank-you'
    },
    ...extra
  }
}

export function eventIds(sandbox: Sandbox): string[] {
  return sandbox.received().map((received) => received.event.event_id as string)
}

export { ACCESS_TOKEN, PIXEL_ID }
