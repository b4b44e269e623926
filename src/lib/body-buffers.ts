/**
 * Buffers reused for request bodies. A request of 1,000 events is about 1.5 MB; encoding it into fresh memory makes
 * the kernel map that memory page by page, which costs several times the encoding itself. A buffer is reused only
 * after its request was answered 2xx: the server had read the whole body, so none of it can still be waiting to be
 * written to the socket when the next body overwrites it.
 *
 * A body is written one array element at a time, never as one string: JSON.stringify of 1,000 events returns a
 * string made of parts, and reading it as bytes first copies it whole into fresh memory (about 6 times the cost of
 * writing the bytes, measured on 1,000-event bodies in the runner's workers).
 */
import { JsonText } from './json-text'

export interface EncodedBody {
  /** The body's UTF-8 bytes: a view of a pooled buffer. */
  bytes: Buffer<ArrayBuffer>
  /** Gives the buffer back for the next body; call it only once the server has read the whole body. */
  release(): void
}

const MIN_BUFFER_BYTES = 1 << 20
// A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4).
const MAX_BYTES_PER_CODE_UNIT = 3

/** Text appended as UTF-8 to a buffer that grows (by copying into a larger one) when the next text might not fit. */
class ByteWriter {
  size = 0
  constructor(public buffer: Buffer<ArrayBuffer>) {}

  write(text: string): void {
    const needed = this.size + MAX_BYTES_PER_CODE_UNIT * text.length
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.buffer.length, needed))
      this.buffer.copy(grown, 0, 0, this.size)
      this.buffer = grown
    }
    this.size += this.buffer.write(text, this.size)
  }
}

/**
 * JSON.stringify(body) for a plain object body, written into `out` with each array's elements stringified apart; an
 * element already written as JsonText is taken as it is.
 */
function writeJson(body: Record<string, unknown>, out: ByteWriter): void {
  let first = true
  for (const key of Object.keys(body)) {
    const value = body[key]
    // null: an array, written element by element; undefined: what JSON.stringify leaves out (undefined, functions)
    const text: string | undefined | null = Array.isArray(value) ? null : JSON.stringify(value)
    if (text === undefined) continue
    out.write(`${first ? '{' : ','}${JSON.stringify(key)}:`)
    first = false
    if (text === null) writeArray(value as unknown[], out)
    else out.write(text)
  }
  out.write(first ? '{}' : '}')
}

function writeArray(values: unknown[], out: ByteWriter): void {
  out.write('[')
  values.forEach((value, index) => {
    if (index > 0) out.write(',')
    out.write(value instanceof JsonText ? value.json : (JSON.stringify(value) ?? 'null'))
  })
  out.write(']')
}

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

  /** The UTF-8 bytes of JSON.stringify(body), for a plain object without toJSON methods at its top level. */
  encode(body: Record<string, unknown>): EncodedBody {
    const out = new ByteWriter(this.largestFree() ?? Buffer.allocUnsafeSlow(MIN_BUFFER_BYTES))
    writeJson(body, out)
    const buffer = out.buffer
    let released = false
    return {
      bytes: buffer.subarray(0, out.size),
      release: () => {
        if (released) return
        released = true
        if (this.free.length < this.keep && buffer.length <= this.maxBytes) this.free.push(buffer)
      }
    }
  }

  private largestFree(): Buffer<ArrayBuffer> | undefined {
    if (this.free.length === 0) return undefined
    let largest = 0
    this.free.forEach((buffer, index) => {
      if (buffer.length > this.free[largest].length) largest = index
    })
    return this.free.splice(largest, 1)[0]
  }
}
