import { randomBytes } from 'node:crypto'

/** Graph API error envelope (meta-capi.md §10). Clients must classify by code/subcode/is_transient, not HTTP status. */
export interface GraphErrorBody {
  message: string
  type: string
  code: number
  error_subcode?: number
  is_transient: boolean
  error_user_title?: string
  error_user_msg?: string
  fbtrace_id: string
}

export interface GraphError {
  status: number
  body: { error: GraphErrorBody }
}

/** One failed per-event rule: what Meta puts in error_subcode / error_user_title / error_user_msg. */
export interface RuleViolation {
  subcode: number
  title: string
  message: string
}

/** Random id in the style of Meta's fbtrace_id, so clients can log it like the real thing. */
export function newFbtraceId(): string {
  return 'A' + randomBytes(16).toString('base64url')
}

function graphError(status: number, fields: Omit<GraphErrorBody, 'type' | 'fbtrace_id'>, trace: string): GraphError {
  // Key order mirrors Meta's responses so captured bodies look familiar; absent optional keys are left out.
  const ordered: GraphErrorBody = {
    message: fields.message,
    type: 'OAuthException',
    code: fields.code,
    error_subcode: fields.error_subcode,
    is_transient: fields.is_transient,
    error_user_title: fields.error_user_title,
    error_user_msg: fields.error_user_msg,
    fbtrace_id: trace
  }
  const error = Object.fromEntries(Object.entries(ordered).filter(([, v]) => v !== undefined)) as GraphErrorBody
  return { status, body: { error } }
}

/** Code 190: the token is missing or not one the sandbox accepts. The token itself is never echoed. */
export function invalidTokenError(trace: string): GraphError {
  return graphError(
    400,
    { message: 'Invalid OAuth access token - Cannot parse access token', code: 190, is_transient: false },
    trace
  )
}

/** The path's version segment is not `vNN.0`. */
export function unknownVersionError(version: string, trace: string): GraphError {
  return graphError(400, { message: `Unknown API version: ${version}`, code: 100, is_transient: false }, trace)
}

/** Code 100 / subcode 33: wrong pixel id, or a token not assigned to the pixel. */
export function unknownObjectError(objectId: string, method: 'get' | 'post', trace: string): GraphError {
  const message =
    `Unsupported ${method} request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing ` +
    'permissions, or does not support this operation. Please read the Graph API documentation at ' +
    'https://developers.facebook.com/docs/graph-api'
  return graphError(400, { message, code: 100, error_subcode: 33, is_transient: false }, trace)
}

/** Code 100 without a subcode: the request as a whole is malformed (e.g. `data` missing). */
export function invalidParameterError(message: string, trace: string): GraphError {
  return graphError(400, { message: `(#100) ${message}`, code: 100, is_transient: false }, trace)
}

export function invalidJsonError(trace: string): GraphError {
  return invalidParameterError('Invalid JSON in the request body', trace)
}

export function bodyTooLargeError(limitBytes: number, trace: string): GraphError {
  return graphError(
    413,
    { message: `(#100) Request body exceeds the limit of ${limitBytes} bytes`, code: 100, is_transient: false },
    trace
  )
}

/** Code 2500, as Graph answers for paths it does not know. */
export function unknownPathError(path: string, trace: string): GraphError {
  return graphError(400, { message: `Unknown path components: ${path}`, code: 2500, is_transient: false }, trace)
}

/** Code 100 for a field the pixel node does not have, as Graph answers `?fields=bogus`. */
export function unknownFieldError(field: string, trace: string): GraphError {
  return invalidParameterError(`Tried accessing nonexisting field (${field}) on node type (AdsPixel)`, trace)
}

/** The first invalid event rejects the whole batch with code 100 and the rule's subcode (meta-capi.md §0, §10). */
export function eventRuleError(violation: RuleViolation, trace: string): GraphError {
  return graphError(
    400,
    {
      message: 'Invalid parameter',
      code: 100,
      error_subcode: violation.subcode,
      is_transient: false,
      error_user_title: violation.title,
      error_user_msg: violation.message
    },
    trace
  )
}

const RATE_LIMIT_MESSAGES: Record<number, string> = {
  4: '(#4) Application request limit reached',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  613: '(#613) Calls to this api have exceeded the rate limit.',
  80004:
    '(#80004) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please ' +
    'refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.'
}

/** Rate limits arrive as HTTP 400 with a transient code; only the code tells them apart from data errors. */
export function rateLimitError(code: number, trace: string): GraphError {
  const message = RATE_LIMIT_MESSAGES[code] ?? `(#${code}) Calls to this api have exceeded the rate limit.`
  // 80004 is the Business Use Case limit; Meta pairs it with subcode 2446079.
  const error_subcode = code === 80004 ? 2446079 : undefined
  return graphError(400, { message, code, error_subcode, is_transient: true }, trace)
}

/** 5xx gets Meta's "temporary downtime" code 2; any other status gets the generic unknown-error code 1. */
export function serverError(status: number, trace: string): GraphError {
  if (status >= 500) {
    const message = 'An unexpected error has occurred. Please retry your request later.'
    return graphError(status, { message, code: 2, is_transient: true }, trace)
  }
  return graphError(status, { message: 'An unknown error has occurred.', code: 1, is_transient: false }, trace)
}
