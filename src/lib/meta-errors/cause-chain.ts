/** What a thrown network error says: fetch wraps the socket error (ECONNRESET, ENOTFOUND…) in "fetch failed". */
import { truncate } from './text'

const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError', 'RequestTimeoutError'])
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNABORTED',
  'ABORT_ERR',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT'
])
const MAX_CAUSE_DEPTH = 5

function isErrorLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** The error and its `cause`s, at most MAX_CAUSE_DEPTH deep and stopping at a cycle. */
export function causeChain(error: unknown): Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = []
  const seen = new Set<unknown>()
  let current: unknown = error
  while (isErrorLike(current) && chain.length < MAX_CAUSE_DEPTH && !seen.has(current)) {
    seen.add(current)
    chain.push(current)
    current = current.cause
  }
  return chain
}

/** AbortError/TimeoutError/RequestTimeoutError or a timeout code anywhere in the cause chain. */
export function isTimeout(error: unknown): boolean {
  return causeChain(error).some((link) => TIMEOUT_NAMES.has(String(link.name)) || TIMEOUT_CODES.has(String(link.code)))
}

function describeLink(link: Record<string, unknown>): string {
  const label = typeof link.code === 'string' ? link.code : typeof link.name === 'string' ? link.name : 'Error'
  const message = typeof link.message === 'string' ? link.message : ''
  return message ? `${label}: ${message}` : label
}

/** "TypeError: fetch failed; caused by ECONNRESET: socket hang up", bounded in length. */
export function describeThrown(error: unknown): string {
  const chain = causeChain(error)
  if (chain.length === 0) return error === undefined || error === null ? 'an unknown error' : truncate(String(error))
  return truncate(chain.map(describeLink).join('; caused by '))
}
