import type { IncomingMessage } from 'node:http'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024

/** A body stalled this long between two chunks is given up with 408; a real client sends steadily. */
export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 5_000

export type BodyResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; status: 413; reason: string; closeConnection?: boolean }
  | { ok: false; status: 408; reason: string; closeConnection: true }
  | { ok: false; status: 400 | 415; reason: string }

interface RawBody {
  bytes: Buffer
  /** More than the limit arrived; `bytes` holds only the first `limit` bytes. */
  tooLarge: boolean
}

/**
 * Reads the whole body, keeping at most `limit` bytes (the rest is drained, so the client reads a clean 413), or
 * 'stalled' when no byte arrives for `idleMs`. The server's requestTimeout bounds the whole upload.
 */
function readRaw(req: IncomingMessage, limit: number, idleMs: number): Promise<RawBody | 'stalled'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let timer: NodeJS.Timeout | undefined
    const finish = (outcome: RawBody | 'stalled' | Error) => {
      clearTimeout(timer)
      req.off('data', onData).off('end', onEnd).off('error', onError)
      if (outcome instanceof Error) reject(outcome)
      else resolve(outcome)
    }
    const armIdleTimer = () => {
      clearTimeout(timer)
      timer = setTimeout(() => finish('stalled'), idleMs)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
      armIdleTimer()
    }
    const onEnd = () => finish({ bytes: Buffer.concat(chunks), tooLarge: size > limit })
    const onError = (error: Error) => finish(error)
    req.on('data', onData).on('end', onEnd).on('error', onError)
    armIdleTimer()
  })
}

// RudderStack's SDKs gzip their batches by default; the limit applies to the decompressed body too.
function decode(bytes: Buffer, encoding: string, limit: number): Buffer {
  const options = { maxOutputLength: limit + 1 }
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(bytes, options)
  if (encoding === 'deflate') return inflateSync(bytes, options)
  return brotliDecompressSync(bytes, options)
}

const ENCODINGS = new Set(['', 'identity', 'gzip', 'x-gzip', 'deflate', 'br'])

export async function readBody(
  req: IncomingMessage,
  limit: number,
  idleMs = DEFAULT_BODY_IDLE_TIMEOUT_MS
): Promise<BodyResult> {
  const encoding = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase()
  const tooLarge = { ok: false, status: 413, reason: `the body is larger than ${limit} bytes` } as const
  // A declared length over the limit is answered at once, before a byte of the body is read; the connection is
  // closed after the answer rather than drained.
  if (Number(req.headers['content-length']) > limit) return { ...tooLarge, closeConnection: true }
  const raw = await readRaw(req, limit, idleMs)
  if (raw === 'stalled') {
    return { ok: false, status: 408, reason: `the body stalled for ${idleMs} ms`, closeConnection: true }
  }
  if (raw.tooLarge) return tooLarge
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
