/**
 * Classification of the Graph API's answers to `POST /{version}/{pixel}/events`.
 *
 * Meta reports rate limits, bad data and bad tokens alike as HTTP 400, so the decision is made on `error.code`,
 * `error_subcode` and `is_transient` through the table in contract/error-codes.ts; the returned `status` then says
 * what to do (429 and 5xx: retry later; 4xx: do not retry), which is all a host such as actions-core reads.
 * Answers without Meta's envelope (HTML, garbage, nothing) and network errors are classified here.
 */
import { errorCodeRow, type ErrorKind } from '../contract/error-codes'
import { scrubSecrets } from '../redact'
import { describeThrown, isTimeout } from './cause-chain'
import { identifiers, metaText, namedEventIndex, parseBody, type MetaError, type ParsedBody } from './envelope'

export type { ErrorKind }

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
  return { ...classified, message: scrubSecrets(classified.message, context.secrets) }
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
    message: scrubSecrets(message, context?.secrets)
  }
}

function classifyMetaError(error: MetaError, pixelId: string): ClassifiedError {
  const metaWords = `${metaText(error)}${identifiers(error)}`
  const row = errorCodeRow(error)
  return {
    status: row.status,
    retryable: row.retryable,
    kind: row.kind,
    ...metaDetails(error),
    message: row.message({ said: `Meta said: ${metaWords}`, metaWords, pixelId })
  }
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
