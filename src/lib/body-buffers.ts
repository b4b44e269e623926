/**
 * Buffers reused for request bodies. A request of 1,000 events is about 1.5 MB; encoding it into fresh memory makes
 * the kernel map that memory page by page, which costs several times the encoding itself. A buffer is reused only
 * after its request was answered 2xx: the server had read the whole body, so none of it can still be waiting to be
 * written to the socket when the next body overwrites it.
 */
export interface EncodedBody {
  /** The body's UTF-8 bytes: a view of a pooled buffer. */
  bytes: Buffer<ArrayBuffer>
  /** Gives the buffer back for the next body; call it only once the server has read the whole body. */
  release(): void
}

const MIN_BUFFER_BYTES = 1 << 20

export class BodyBuffers {
  private readonly free: Buffer<ArrayBuffer>[] = []

  /**
   * @param keep free buffers kept at most (one per request in flight is enough)
   * @param maxBytes buffers larger than this (a body of very large events) are not kept
   */
  constructor(
    private readonly keep = 8,
    private readonly maxBytes = 16 * 1024 * 1024
  ) {}

  encode(text: string): EncodedBody {
    const size = Buffer.byteLength(text)
    const index = this.free.findIndex((buffer) => buffer.length >= size)
    const buffer =
      index === -1 ? Buffer.allocUnsafeSlow(Math.max(size, MIN_BUFFER_BYTES)) : this.free.splice(index, 1)[0]
    const written = buffer.write(text, 0)
    let released = false
    return {
      bytes: buffer.subarray(0, written),
      release: () => {
        if (released) return
        released = true
        if (this.free.length < this.keep && buffer.length <= this.maxBytes) this.free.push(buffer)
      }
    }
  }
}
