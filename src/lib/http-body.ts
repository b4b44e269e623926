import type { IncomingMessage } from 'node:http'

export interface RawBody {
  bytes: Buffer
  /** More than the limit arrived; `bytes` holds only the first `limitBytes`. */
  tooLarge: boolean
}

/**
 * Reads a request's whole body, keeping at most `limitBytes`. The rest is drained rather than cut off, so the
 * client reads a clean 413 instead of a reset connection while it is still uploading.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limitBytes) chunks.push(chunk)
    })
    req.on('end', () => resolve({ bytes: Buffer.concat(chunks), tooLarge: size > limitBytes }))
    req.on('error', reject)
  })
}
