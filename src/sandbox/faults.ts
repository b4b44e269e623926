import { isRecord } from '../lib/is-record'
import type { Fault } from './types'

export const FAULT_KINDS: readonly Fault['kind'][] = ['rate_limit', 'server_error', 'slow', 'drop', 'html']
export const DEFAULT_RATE_LIMIT_CODE = 613
export const DEFAULT_SERVER_ERROR_STATUS = 500
export const DEFAULT_SLOW_DELAY_MS = 1000

/** Faults waiting for the next /events requests; a fault with `count: n` answers n requests in a row. */
export class FaultQueue {
  private queue: { fault: Fault; remaining: number }[] = []

  push(...faults: Fault[]): void {
    for (const fault of faults) this.queue.push({ fault: { ...fault }, remaining: fault.count ?? 1 })
  }

  /** The fault for the current request, if any, consuming one use of it. */
  take(): Fault | undefined {
    const head = this.queue[0]
    if (!head) return undefined
    head.remaining -= 1
    if (head.remaining <= 0) this.queue.shift()
    return head.fault
  }

  /** Requests still to be faulted. */
  pending(): number {
    return this.queue.reduce((sum, entry) => sum + entry.remaining, 0)
  }

  clear(): void {
    this.queue = []
  }
}

function isOptionalNonNegativeInteger(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isInteger(value) && value >= 0)
}

/** Explains why a value is not a Fault, or returns undefined when it is one. Used for faults posted over HTTP. */
export function faultProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'a fault must be an object'
  if (!FAULT_KINDS.includes(value.kind as Fault['kind'])) return `kind must be one of ${FAULT_KINDS.join(', ')}`
  for (const field of ['code', 'delayMs', 'count'] as const) {
    if (!isOptionalNonNegativeInteger(value[field])) return `${field} must be a non-negative integer`
  }
  const status = value.status
  if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) {
    return 'status must be an HTTP status code (100-599)'
  }
  if (value.count === 0) return 'count must be at least 1'
  return undefined
}

/** Usage headers Meta sends with throttling, so clients that read them can be exercised. */
export function rateLimitHeaders(code: number, pixelId: string): Record<string, string> {
  if (code >= 80000) {
    // 0 minutes to regain access: tests must not sit out a real BUC penalty before their retry.
    const entry = { type: 'ads_management', call_count: 100, total_cputime: 100, total_time: 100 }
    const usage = { [pixelId]: [{ ...entry, estimated_time_to_regain_access: 0 }] }
    return { 'x-business-use-case-usage': JSON.stringify(usage) }
  }
  return { 'x-app-usage': JSON.stringify({ call_count: 100, total_time: 100, total_cputime: 100 }) }
}

/** What a proxy in front of Graph returns when the backend is unreachable: HTML, not JSON. */
export const BAD_GATEWAY_HTML =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>' +
  '<body><h1>502 Bad Gateway</h1><p>The server encountered a temporary error and could not complete your request.</p>' +
  '</body></html>'
