import { readBody as readLimitedBody } from '../lib/http-body'
import type { IncomingMessage } from 'node:http'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024

export type BodyResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; status: 413; reason: string }
  | { ok: false; status: 400 | 415; reason: string }

// RudderStack's SDKs gzip their batches by default; the limit applies to the decompressed body too.
function decode(bytes: Buffer, encoding: string, limit: number): Buffer {
  const options = { maxOutputLength: limit + 1 }
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(bytes, options)
  if (encoding === 'deflate') return inflateSync(bytes, options)
  return brotliDecompressSync(bytes, options)
}

const ENCODINGS = new Set(['', 'identity', 'gzip', 'x-gzip', 'deflate', 'br'])

export async function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const encoding = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase()
  const declared = Number(req.headers['content-length'])
  const raw = await readLimitedBody(req, limit)
  const tooLarge = { ok: false, status: 413, reason: `the body is larger than ${limit} bytes` } as const
  if (raw.tooLarge || declared > limit) return tooLarge
  if (!ENCODINGS.has(encoding)) return { ok: false, status: 415, reason: `unsupported content-encoding ${encoding}` }
  if (encoding === '' || encoding === 'identity') return { ok: true, bytes: raw.bytes }
  try {
    const bytes = decode(raw.bytes, encoding, limit)
    return bytes.length > limit ? tooLarge : { ok: true, bytes }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ERR_BUFFER_TOO_LARGE') return tooLarge
    return { ok: false, status: 400, reason: `the ${encoding} body cannot be decompressed` }
  }
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; reason: string }

/** The body as JSON, or why it is not; the reason never quotes the body. */
export function parseJson(bytes: Buffer): JsonResult {
  if (bytes.length === 0) return { ok: false, reason: 'the body is empty; expected JSON' }
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown }
  } catch (error) {
    // V8's message quotes part of the body, which may hold personal data: only its position is passed on.
    const position = /position (\d+)/.exec((error as Error).message)?.[1]
    return { ok: false, reason: `malformed JSON${position === undefined ? '' : ` near byte ${position}`}` }
  }
}
