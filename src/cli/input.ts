/**
 * Input for map and send, read as it is consumed: JSON Lines (one event per line, blank lines skipped, a line that is
 * not JSON an error for that input only), a JSON array (through a streaming parser, element by element), or
 * pretty-printed JSON objects one after another. The format is told from the first characters.
 */
import { open } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'
import { JSONParser } from '@streamparser/json'
import { CHUNK_LIMITS, parsedInputs } from '../runner/chunk'
import type { ChunkInputs, ChunkLimits, ParsedInput } from '../runner/chunk'
import { messageOf, UsageError } from './errors'

type Format = 'lines' | 'array' | 'documents'

/** Large reads: fewer, bigger pieces for the line splitter; memory stays at a few of them. */
const READ_BYTES = 1 << 20

function fileError(file: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : messageOf(error)
  return new UsageError(`cannot read ${file}: ${reason}`)
}

/** Input as read: bytes from a file or stdin (strings from callers that have text already). */
export type InputPieces = AsyncIterable<Uint8Array | string>

async function* readErrorsAsUsage(file: string, texts: InputPieces): AsyncGenerator<Uint8Array | string> {
  try {
    yield* texts
  } catch (error) {
    throw fileError(file, error)
  }
}

/**
 * The bytes of FILE, or of stdin when FILE is absent or `-`, in pieces as they are read. JSON Lines stay bytes until
 * the thread that parses them (a worker) decodes its chunk, so the main thread never decodes the input.
 */
export async function openInput(file: string | undefined): Promise<InputPieces> {
  if (file === undefined || file === '-') {
    if (process.stdin.isTTY) throw new UsageError('no input: give a FILE, or pipe JSON Lines or a JSON array on stdin')
    return process.stdin
  }
  try {
    const handle = await open(file, 'r')
    if ((await handle.stat()).isDirectory()) {
      await handle.close()
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    }
    return readErrorsAsUsage(file, handle.createReadStream({ highWaterMark: READ_BYTES }))
  } catch (error) {
    throw fileError(file, error)
  }
}

/** undefined while the text so far cannot tell (nothing but whitespace, or a first line not yet complete). */
function formatOf(head: string, ended: boolean): Format | undefined {
  const start = head.search(/\S/)
  if (start === -1) return ended ? 'lines' : undefined
  if (head[start] === '[') return 'array'
  if (head[start] !== '{') return 'lines'
  const lineEnd = head.indexOf('\n', start)
  if (lineEnd === -1) return ended ? 'lines' : undefined
  // A line that is only "{" opens a pretty-printed object; anything else is a line of JSON Lines (or a broken one).
  return head.slice(start, lineEnd).trim() === '{' ? 'documents' : 'lines'
}

const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d
const MIN_CHUNK_BUFFER = 1 << 16

// A line whose first byte is printable ASCII is not blank; only the rare others are decoded to ask trim().
function isBlank(source: Buffer, start: number, end: number): boolean {
  if (start === end) return true
  const first = source[start]
  if (first > 0x20 && first < 0x7f) return false
  return source.toString('utf8', start, end).trim() === ''
}

/**
 * A chunk's lines, copied into a buffer of the chunk's own as they are cut and handed on as a LineBlock. The next
 * chunk's buffer starts at the size the last one needed, so homogeneous input is copied once and never regrown.
 */
class LinePacker {
  private buffer: Buffer<ArrayBuffer>
  private size = 0
  private lineNumbers: number[] = []

  constructor(private readonly limits: ChunkLimits) {
    this.buffer = Buffer.allocUnsafeSlow(MIN_CHUNK_BUFFER)
  }

  get empty(): boolean {
    return this.lineNumbers.length === 0
  }

  /** Adds bytes [start, end) of source as line number `line`; true when the chunk is full. */
  add(source: Buffer, start: number, end: number, line: number): boolean {
    const separator = this.empty ? 0 : 1
    this.reserve(separator + end - start)
    if (separator === 1) this.buffer[this.size++] = NEWLINE
    this.size += source.copy(this.buffer, this.size, start, end)
    this.lineNumbers.push(line)
    return this.lineNumbers.length >= this.limits.inputs || this.size >= this.limits.bytes
  }

  take(): ChunkInputs {
    // allocUnsafeSlow: never a slice of Buffer's shared pool, so the buffer can move to a worker on its own.
    const bytes = new Uint8Array(this.buffer.buffer, 0, this.size)
    const lines = { bytes, lineNumbers: Uint32Array.from(this.lineNumbers) }
    const next = Math.min(Math.max(MIN_CHUNK_BUFFER, this.size + (this.size >> 3)), 2 * this.limits.bytes)
    this.buffer = Buffer.allocUnsafeSlow(next)
    this.size = 0
    this.lineNumbers = []
    return { lines }
  }

  private reserve(more: number): void {
    if (this.size + more <= this.buffer.length) return
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.buffer.length, this.size + more))
    this.buffer.copy(grown, 0, 0, this.size)
    this.buffer = grown
  }
}

/**
 * JSON Lines cut into chunks: lines end at newline bytes (a "\r" before one is dropped), blank lines are skipped but
 * counted, and nothing is decoded here; the thread that parses a chunk decodes it.
 */
async function* lineChunks(pieces: AsyncIterable<Buffer>, limits: ChunkLimits): AsyncGenerator<ChunkInputs> {
  const packer = new LinePacker(limits)
  // The start of a line that reads cut, in pieces, joined once its end arrives (so a long line costs linear time).
  let carry: Buffer[] = []
  let line = 0
  const take = (source: Buffer, start: number, end: number): boolean => {
    line++
    const contentEnd = end > start && source[end - 1] === CARRIAGE_RETURN ? end - 1 : end
    return !isBlank(source, start, contentEnd) && packer.add(source, start, contentEnd, line)
  }
  for await (const piece of pieces) {
    let start = 0
    for (let end = piece.indexOf(NEWLINE); end !== -1; end = piece.indexOf(NEWLINE, start)) {
      let full: boolean
      if (carry.length > 0) {
        const joined = Buffer.concat([...carry, piece.subarray(start, end)])
        carry = []
        full = take(joined, 0, joined.length)
      } else full = take(piece, start, end)
      start = end + 1
      if (full) yield packer.take()
    }
    if (start < piece.length) carry.push(piece.subarray(start))
  }
  if (carry.length > 0) {
    const rest = Buffer.concat(carry)
    take(rest, 0, rest.length)
  }
  if (!packer.empty) yield packer.take()
}

/** The pieces as text, decoded across piece boundaries (a character cut in two by a read stays whole). */
async function* decoded(pieces: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8')
  for await (const piece of pieces) yield decoder.write(piece)
  const rest = decoder.end()
  if (rest !== '') yield rest
}

async function* parsedValues(
  texts: AsyncIterable<string>,
  format: 'array' | 'documents',
  limits: ChunkLimits
): AsyncGenerator<ChunkInputs> {
  // keepStack false: elements already handed on are not kept in the array being parsed.
  const parser =
    format === 'array'
      ? new JSONParser({ paths: ['$.*'], keepStack: false })
      : new JSONParser({ paths: ['$'], keepStack: false, separator: '' })
  let values: unknown[] = []
  parser.onValue = ({ value }) => {
    values.push(value)
  }
  const broken = (error: unknown) =>
    new UsageError(
      format === 'array'
        ? `the input starts like a JSON array but is not valid JSON (${messageOf(error)})`
        : `the input starts like a pretty-printed JSON object but is not valid JSON (${messageOf(error)})`
    )
  // Chunks are handed on as they fill; whatever precedes a break in the JSON is handed on before the error.
  function* chunks(all: boolean): Generator<ChunkInputs> {
    let from = 0
    for (; values.length - from >= limits.inputs; from += limits.inputs)
      yield { values: values.slice(from, from + limits.inputs) }
    values = values.slice(from)
    if (all && values.length > 0) yield { values }
    if (all) values = []
  }
  for await (const text of texts) {
    try {
      parser.write(text)
    } catch (error) {
      yield* chunks(true)
      throw broken(error)
    }
    yield* chunks(false)
  }
  try {
    if (format === 'array' && !parser.isEnded) throw new Error('the array is not closed')
    if (!parser.isEnded) parser.end()
  } catch (error) {
    yield* chunks(true)
    throw broken(error)
  }
  yield* chunks(true)
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff

/** The pieces as bytes; text pieces are encoded whole characters at a time (a surrogate pair cut in two waits). */
async function* asBuffers(pieces: InputPieces): AsyncGenerator<Buffer> {
  let pending = ''
  for await (const piece of pieces) {
    if (typeof piece !== 'string') {
      yield Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
      continue
    }
    const text = pending + piece
    pending = isHighSurrogate(text.charCodeAt(text.length - 1)) ? text.slice(-1) : ''
    if (text.length > pending.length) yield Buffer.from(text.slice(0, text.length - pending.length))
  }
  if (pending !== '') yield Buffer.from(pending)
}

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}

/** The inputs of the text, in order, in chunks of at most `limits` as they are read. */
export async function* readInputs(pieces: InputPieces, limits = CHUNK_LIMITS): AsyncGenerator<ChunkInputs> {
  const iterator = asBuffers(pieces)
  let head = Buffer.alloc(0)
  let format: Format | undefined
  while (format === undefined) {
    const next = await iterator.next()
    if (!next.done) head = Buffer.concat([head, next.value])
    // A character cut at the end of the head decodes as U+FFFD here; only the first line's start is read.
    format = formatOf(head.toString('utf8'), next.done === true)
  }
  const rest = prepend(head, iterator)
  yield* format === 'lines' ? lineChunks(rest, limits) : parsedValues(decoded(rest), format, limits)
}

/** Every input of FILE, parsed; for small inputs read whole (the demo's examples). */
export async function readAllInputs(file: string | undefined): Promise<ParsedInput[]> {
  const parsed: ParsedInput[] = []
  for await (const inputs of readInputs(await openInput(file))) parsed.push(...parsedInputs(inputs))
  return parsed
}
