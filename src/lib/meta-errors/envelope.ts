/** Reading a Graph API answer: Meta's `{"error": {...}}` envelope, or what came instead (HTML, garbage, nothing). */
import { isRecord } from '../is-record'
import { collapseWhitespace, excerpt, truncate } from './text'

/** The fields of Meta's error envelope that the classification uses. */
export interface MetaError {
  message?: string
  code?: number
  subcode?: number
  isTransient: boolean
  userTitle?: string
  userMessage?: string
  fbtraceId?: string
}

export type ParsedBody =
  | { shape: 'meta-error'; error: MetaError }
  | { shape: 'empty' }
  | { shape: 'html'; title?: string }
  | { shape: 'garbled'; excerpt: string }
  | { shape: 'json-without-error'; excerpt: string }

export function parseBody(bodyText: string): ParsedBody {
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

/** Meta's text from general to specific, e.g. "Invalid parameter: <user title>: <user message>". */
export function metaText(error: MetaError): string {
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
export function identifiers(error: MetaError): string {
  const parts = [
    error.code !== undefined ? `code ${error.code}` : undefined,
    error.subcode !== undefined ? `subcode ${error.subcode}` : undefined,
    error.fbtraceId !== undefined ? `fbtrace_id ${error.fbtraceId}` : undefined
  ].filter((part): part is string => part !== undefined)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}

/**
 * The element index Meta names in a validation message: `$['data'][17]`, `$["data"][17]`,
 * `$.data[17]`, `data[17]` or `data['17']`.
 */
export function namedEventIndex(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const match = /\bdata(?:['"]\])?\[\s*['"]?(\d+)['"]?\s*\]/.exec(text)
  const index = match ? Number(match[1]) : NaN
  return Number.isSafeInteger(index) ? index : undefined
}
