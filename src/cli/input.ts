/**
 * Input for map and send, read as it is consumed: JSON Lines (one event per line, blank lines skipped, a line that is
 * not JSON an error for that input only), a JSON array (through a streaming parser, element by element), or
 * pretty-printed JSON objects one after another. The format is told from the first characters.
 */
import { open } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'
import { JSONParser } from '@streamparser/json'
import { parseRawInput } from '../runner/chunk'
import type { ParsedInput, RawInput } from '../runner/chunk'
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
 * the thread that parses them (a worker) decodes each line, so the main thread never decodes the input.
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

// A line whose first byte is printable ASCII is not blank; only the rare others are decoded to ask trim().
function isBlank(line: Buffer): boolean {
  const first = line[0]
  if (first === undefined) return true
  if (first > 0x20 && first < 0x7f) return false
  return line.toString('utf8').trim() === ''
}

async function* lines(pieces: AsyncIterable<Buffer>): AsyncGenerator<RawInput[]> {
  let carry: Buffer = Buffer.alloc(0)
  let line = 0
  const take = (bytes: Buffer, batch: RawInput[]) => {
    line++
    const end = bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length
    const content = bytes.subarray(0, end)
    if (!isBlank(content)) batch.push({ bytes: content, line })
  }
  for await (const piece of pieces) {
    const batch: RawInput[] = []
    let start = 0
    let end = piece.indexOf(NEWLINE)
    // Only the line a read cut in two is copied together; the rest are views of the piece as read.
    if (carry.length > 0) {
      if (end === -1) {
        carry = Buffer.concat([carry, piece])
        continue
      }
      take(Buffer.concat([carry, piece.subarray(0, end)]), batch)
      start = end + 1
      end = piece.indexOf(NEWLINE, start)
    }
    for (; end !== -1; end = piece.indexOf(NEWLINE, start)) {
      take(piece.subarray(start, end), batch)
      start = end + 1
    }
    carry = piece.subarray(start)
    if (batch.length > 0) yield batch
  }
  const last: RawInput[] = []
  if (carry.length > 0) take(carry, last)
  if (last.length > 0) yield last
}

/** The pieces as text, decoded across piece boundaries (a character cut in two by a read stays whole). */
async function* decoded(pieces: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8')
  for await (const piece of pieces) yield decoder.write(piece)
  const rest = decoder.end()
  if (rest !== '') yield rest
}

async function* parsedValues(texts: AsyncIterable<string>, format: 'array' | 'documents'): AsyncGenerator<RawInput[]> {
  // keepStack false: elements already handed on are not kept in the array being parsed.
  const parser =
    format === 'array'
      ? new JSONParser({ paths: ['$.*'], keepStack: false })
      : new JSONParser({ paths: ['$'], keepStack: false, separator: '' })
  let batch: RawInput[] = []
  parser.onValue = ({ value }) => {
    batch.push({ value })
  }
  const broken = (error: unknown) =>
    new UsageError(
      format === 'array'
        ? `the input starts like a JSON array but is not valid JSON (${messageOf(error)})`
        : `the input starts like a pretty-printed JSON object but is not valid JSON (${messageOf(error)})`
    )
  for await (const text of texts) {
    try {
      parser.write(text)
    } catch (error) {
      throw broken(error)
    }
    if (batch.length > 0) yield batch
    batch = []
  }
  try {
    if (format === 'array' && !parser.isEnded) throw new Error('the array is not closed')
    if (!parser.isEnded) parser.end()
  } catch (error) {
    throw broken(error)
  }
  if (batch.length > 0) yield batch
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

/** The inputs of the text, in order, in batches as they are read. */
export async function* readInputs(pieces: InputPieces): AsyncGenerator<RawInput[]> {
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
  yield* format === 'lines' ? lines(rest) : parsedValues(decoded(rest), format)
}

/** Every input of FILE, parsed; for small inputs read whole (the demo's examples). */
export async function readAllInputs(file: string | undefined): Promise<ParsedInput[]> {
  const parsed: ParsedInput[] = []
  for await (const batch of readInputs(await openInput(file))) parsed.push(...batch.map(parseRawInput))
  return parsed
}
