/**
 * Classification of the Graph API's answers to `POST /{version}/{pixel}/events`.
 *
 * Meta reports rate limits, bad data and bad tokens alike as HTTP 400, so the decision is made on
 * `error.code`, `error_subcode` and `is_transient`; the returned `status` then says what to do
 * (429 and 5xx: retry later; 4xx: do not retry), which is all a host such as actions-core reads.
 */

export type ErrorKind =
  'rate_limit' | 'transient' | 'authentication' | 'permission' | 'configuration' | 'data' | 'unknown'
import { isRecord } from './is-record'

export interface ClassifiedError {
  /** HTTP-like status that expresses retryability: 429 and 5xx are retryable, 4xx are not. */
  status: number
  /** True exactly for 429 and 5xx. */
  retryable: boolean
  kind: ErrorKind
  /** For a human operator; never contains a secret. */
  message: string
  code?: number
  subcode?: number
  fbtraceId?: string
  /** i when Meta's message names the element `$['data'][i]` of the request. */
  eventIndex?: number
  /** How long Meta asked us to wait before calling again (from its rate-limit headers), when it said. */
  retryAfterMs?: number
}

/** The fields of Meta's error envelope `{"error": {...}}` that the classification uses. */
interface MetaError {
  message?: string
  code?: number
  subcode?: number
  isTransient: boolean
  userTitle?: string
  userMessage?: string
  fbtraceId?: string
}

type ParsedBody =
  | { shape: 'meta-error'; error: MetaError }
  | { shape: 'empty' }
  | { shape: 'html'; title?: string }
  | { shape: 'garbled'; excerpt: string }
  | { shape: 'json-without-error'; excerpt: string }

// Codes Meta documents as throttling: app (4), user (17), Pages (32), application limit (341),
// custom (613) and the Business Use Case limits 80000–80014.
const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 613])
const FIRST_BUSINESS_USE_CASE_CODE = 80000
const LAST_BUSINESS_USE_CASE_CODE = 80014

const CODE_UNKNOWN_POSSIBLY_TEMPORARY = 1
const CODE_SERVICE_DOWNTIME = 2
const CODE_CAPABILITY = 3
const CODE_PERMISSION_DENIED = 10
const CODE_INVALID_PARAMETER = 100
const CODE_API_SESSION = 102
// Graph's "An access token is required to request this resource": a missing token never fixes itself.
const CODE_ACCESS_TOKEN_REQUIRED = 104
const CODE_INVALID_TOKEN = 190
const CODE_TEMPORARILY_BLOCKED = 368
const SUBCODE_OBJECT_MISSING_OR_NO_PERMISSION = 33

const EXCERPT_LENGTH = 200
const MAX_MESSAGE_LENGTH = 1000
const REDACTED = '[redacted]'

/** Classify one HTTP answer from the Graph API. bodyText may be JSON, HTML, empty or garbage. */
export function classifyMetaResponse(
  httpStatus: number,
  bodyText: string,
  context: { pixelId: string; secrets?: string[] }
): ClassifiedError {
  const parsed = parseBody(bodyText)
  const classified =
    parsed.shape === 'meta-error'
      ? classifyMetaError(parsed.error, context.pixelId)
      : classifyBodyWithoutMetaError(httpStatus, parsed)
  return { ...classified, message: scrub(classified.message, context.secrets) }
}

/** Network errors, DNS, connection reset, socket hang up, timeouts (AbortError/TimeoutError/RequestTimeoutError), anything thrown by a client. */
export function classifyNetworkError(error: unknown, context?: { secrets?: string[] }): ClassifiedError {
  const description = describeThrown(error)
  const message = isTimeout(error)
    ? `Meta did not answer in time (${description}). The events may or may not have been received; ` +
      'resending them is safe because Meta deduplicates by event_id.'
    : `Could not reach Meta (${description}). Resending the events is safe because Meta deduplicates by event_id.`
  return {
    status: isTimeout(error) ? 504 : 500,
    retryable: true,
    kind: 'transient',
    message: scrub(message, context?.secrets)
  }
}

/** Replace every occurrence of each secret (e.g. the access token) in text with "[redacted]". */
export function redactSecrets(text: string, secrets?: string[]): string {
  // Longest first, so that a secret containing another one is not left half visible.
  const candidates = secretVariants(secrets).sort((a, b) => b.length - a.length)
  return candidates.reduce((redacted, secret) => redacted.split(secret).join(REDACTED), text)
}

/** Each non-empty secret, plus its URL-encoded form, since tokens also travel in query strings. */
function secretVariants(secrets?: string[]): string[] {
  const variants = new Set<string>()
  for (const secret of secrets ?? []) {
    if (typeof secret !== 'string' || secret === '') continue
    variants.add(secret)
    variants.add(encodeURIComponent(secret))
  }
  return [...variants]
}

/**
 * redactSecrets plus a safety net for token-shaped text the caller did not list (a token echoed in a
 * URL, a Bearer header, a Meta access token), because messages end up in logs and dashboards.
 */
function scrub(text: string, secrets?: string[]): string {
  return redactSecrets(text, secrets)
    .replace(/((?:access_token|appsecret_proof)=)[^&\s"']+/gi, `$1${REDACTED}`)
    .replace(/("(?:access_token|appsecret_proof)"\s*:\s*")[^"]*/gi, `$1${REDACTED}`)
    .replace(/(Bearer\s+)[\w.~+/=-]+/gi, `$1${REDACTED}`)
    .replace(/\bEAA[A-Za-z0-9]{20,}/g, REDACTED)
}

function parseBody(bodyText: string): ParsedBody {
  const text = typeof bodyText === 'string' ? bodyText.trim() : ''
  if (text === '') return { shape: 'empty' }
  if (looksLikeHtml(text)) return { shape: 'html', title: htmlTitle(text) }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { shape: 'garbled', excerpt: excerpt(text) }
  }
  const error = readMetaError(json)
  return error ? { shape: 'meta-error', error } : { shape: 'json-without-error', excerpt: excerpt(text) }
}

function looksLikeHtml(text: string): boolean {
  return text.startsWith('<') || /<html[\s>]/i.test(text)
}

function htmlTitle(html: string): string | undefined {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]
  return title ? collapseWhitespace(title) || undefined : undefined
}

function excerpt(text: string): string {
  const collapsed = collapseWhitespace(text)
  return collapsed.length > EXCERPT_LENGTH ? `${collapsed.slice(0, EXCERPT_LENGTH)}…` : collapsed
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** Meta's `{"error": {...}}` envelope, read defensively: fields may be missing or of the wrong type. */
function readMetaError(json: unknown): MetaError | undefined {
  if (!isRecord(json) || !isRecord(json.error)) return undefined
  const error = json.error
  return {
    message: nonEmptyString(error.message),
    code: integer(error.code),
    subcode: integer(error.error_subcode),
    isTransient: error.is_transient === true || error.is_transient === 'true',
    userTitle: nonEmptyString(error.error_user_title),
    userMessage: nonEmptyString(error.error_user_msg),
    fbtraceId: nonEmptyString(error.fbtrace_id)
  }
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/** Meta sends codes as numbers; a numeric string is accepted too, anything else is ignored. */
function integer(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim())
  return undefined
}

function classifyMetaError(error: MetaError, pixelId: string): ClassifiedError {
  const said = `Meta said: ${metaText(error)}${identifiers(error)}`
  const details = metaDetails(error)
  const code = error.code

  if (code !== undefined && isRateLimitCode(code)) {
    return {
      status: 429,
      retryable: true,
      kind: 'rate_limit',
      ...details,
      message: `Meta rate limit reached; retry later with backoff. ${said}`
    }
  }
  // Meta's own instruction: when is_transient is true, wait and retry, whatever the code.
  if (error.isTransient || code === CODE_SERVICE_DOWNTIME) {
    return {
      status: 503,
      retryable: true,
      kind: 'transient',
      ...details,
      message: `Meta reported a temporary error; retry later. ${said}`
    }
  }
  if (code === CODE_UNKNOWN_POSSIBLY_TEMPORARY || (code !== undefined && code < 0)) {
    return {
      status: 500,
      retryable: true,
      kind: 'transient',
      ...details,
      message: `Meta reported an internal, possibly temporary error; retry later. ${said}`
    }
  }
  if (code === CODE_TEMPORARILY_BLOCKED) {
    return {
      status: 503,
      retryable: true,
      kind: 'transient',
      ...details,
      message: `Meta temporarily blocked this sender for a policy violation; retry after a long delay. ${said}`
    }
  }
  if (code === CODE_INVALID_TOKEN || code === CODE_API_SESSION || code === CODE_ACCESS_TOKEN_REQUIRED) {
    return {
      status: 401,
      retryable: false,
      kind: 'authentication',
      ...details,
      message:
        'The access token was rejected by Meta; generate a new token in Events Manager ' +
        `(Settings → Conversions API → Generate access token) and update the settings. ${said}`
    }
  }
  // Code 3 ("application does not have the capability") is a permission problem: splitting the
  // request could never make it pass, so it must not be treated as bad data.
  if (
    code === CODE_PERMISSION_DENIED ||
    code === CODE_CAPABILITY ||
    (code !== undefined && code >= 200 && code <= 299)
  ) {
    return {
      status: 403,
      retryable: false,
      kind: 'permission',
      ...details,
      message: `This access token is not allowed to send events to pixel ${pixelId}; use a token generated for this pixel in Events Manager. ${said}`
    }
  }
  if (code === CODE_INVALID_PARAMETER && error.subcode === SUBCODE_OBJECT_MISSING_OR_NO_PERMISSION) {
    return {
      status: 400,
      retryable: false,
      kind: 'configuration',
      ...details,
      message: `Pixel ${pixelId} does not exist or this token cannot send to it; check the pixel ID and the token's access to it. ${said}`
    }
  }
  if (code === CODE_INVALID_PARAMETER) {
    // The operator needs Meta's own words here: they say which field of which event is wrong.
    return {
      status: 400,
      retryable: false,
      kind: 'data',
      ...details,
      message: `${metaText(error)}${identifiers(error)}`
    }
  }
  return {
    status: 500,
    retryable: true,
    kind: 'unknown',
    ...details,
    message: `Meta returned an error this destination does not recognise; treating it as retryable. ${said}`
  }
}

function isRateLimitCode(code: number): boolean {
  return RATE_LIMIT_CODES.has(code) || (code >= FIRST_BUSINESS_USE_CASE_CODE && code <= LAST_BUSINESS_USE_CASE_CODE)
}

/** code, subcode, fbtraceId and eventIndex, each only when known (no keys holding undefined). */
function metaDetails(error: MetaError): Pick<ClassifiedError, 'code' | 'subcode' | 'fbtraceId' | 'eventIndex'> {
  const eventIndex = namedEventIndex(error.userMessage) ?? namedEventIndex(error.message)
  return {
    ...(error.code !== undefined && { code: error.code }),
    ...(error.subcode !== undefined && { subcode: error.subcode }),
    ...(error.fbtraceId !== undefined && { fbtraceId: error.fbtraceId }),
    ...(eventIndex !== undefined && { eventIndex })
  }
}

/** Meta's text from general to specific, e.g. "Invalid parameter: <user title>: <user message>". */
function metaText(error: MetaError): string {
  const parts = [error.message, error.userTitle, error.userMessage].filter((part): part is string => part !== undefined)
  const distinct = parts.filter((part, index) => parts.indexOf(part) === index)
  if (distinct.length === 0) return 'no message'
  // "Invalid parameter.: Missing currency" reads badly; only the last part keeps its full stop.
  const joined = distinct
    .map((part, index) => (index < distinct.length - 1 ? part.replace(/\.$/, '') : part))
    .join(': ')
  return truncate(joined)
}

/** " (code 100, subcode 2804050, fbtrace_id Abc)", with only the parts Meta sent. */
function identifiers(error: MetaError): string {
  const parts = [
    error.code !== undefined ? `code ${error.code}` : undefined,
    error.subcode !== undefined ? `subcode ${error.subcode}` : undefined,
    error.fbtraceId !== undefined ? `fbtrace_id ${error.fbtraceId}` : undefined
  ].filter((part): part is string => part !== undefined)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text
}

/**
 * The element index Meta names in a validation message: `$['data'][17]`, `$["data"][17]`,
 * `$.data[17]`, `data[17]` or `data['17']`.
 */
function namedEventIndex(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const match = /\bdata(?:['"]\])?\[\s*['"]?(\d+)['"]?\s*\]/.exec(text)
  const index = match ? Number(match[1]) : NaN
  return Number.isSafeInteger(index) ? index : undefined
}

function classifyBodyWithoutMetaError(
  httpStatus: number,
  parsed: Exclude<ParsedBody, { shape: 'meta-error' }>
): ClassifiedError {
  const answered = `Meta answered HTTP ${httpStatus}`
  if (httpStatus >= 200 && httpStatus <= 299) {
    // The caller handles success; reaching this is a bug upstream, so do not claim the events were lost for good.
    return {
      status: 500,
      retryable: true,
      kind: 'unknown',
      message: `${answered}, a success, but it was handled as a failure; treating it as retryable.`
    }
  }
  if (httpStatus === 429) {
    // A proxy or load balancer in front of the Graph API throttling without Meta's envelope.
    return {
      status: 429,
      retryable: true,
      kind: 'rate_limit',
      message: `${answered} (too many requests) without an error body; retry later with backoff.`
    }
  }
  switch (parsed.shape) {
    case 'empty':
      return transientBody(`${answered} with an empty body; treating it as a temporary outage.`)
    case 'html':
      return transientBody(
        `${answered} with an HTML page${parsed.title ? ` ("${parsed.title}")` : ''} instead of a JSON error; treating it as a temporary outage.`
      )
    case 'garbled':
      return transientBody(
        `${answered} with a body that is not JSON ("${parsed.excerpt}"); treating it as a temporary outage.`
      )
    case 'json-without-error':
      return {
        status: 500,
        retryable: true,
        kind: httpStatus >= 500 ? 'transient' : 'unknown',
        message: `${answered} without Meta's error envelope ("${parsed.excerpt}"); treating it as retryable.`
      }
  }
}

function transientBody(message: string): ClassifiedError {
  return { status: 502, retryable: true, kind: 'transient', message }
}

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

function isTimeout(error: unknown): boolean {
  return causeChain(error).some((link) => TIMEOUT_NAMES.has(String(link.name)) || TIMEOUT_CODES.has(String(link.code)))
}

/** The error and its `cause`s: fetch wraps the socket error (ECONNRESET, ENOTFOUND…) in "fetch failed". */
function causeChain(error: unknown): Record<string, unknown>[] {
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

function isErrorLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function describeThrown(error: unknown): string {
  const chain = causeChain(error)
  if (chain.length === 0) return error === undefined || error === null ? 'an unknown error' : truncate(String(error))
  return truncate(chain.map(describeLink).join('; caused by '))
}

function describeLink(link: Record<string, unknown>): string {
  const label = typeof link.code === 'string' ? link.code : typeof link.name === 'string' ? link.name : 'Error'
  const message = typeof link.message === 'string' ? link.message : ''
  return message ? `${label}: ${message}` : label
}
