/**
 * Input for map and send, read as it is consumed: JSON Lines (one event per line, blank lines skipped, a line that is
 * not JSON an error for that input only), a JSON array (through a streaming parser, element by element), or
 * pretty-printed JSON objects one after another. The format is told from the first characters.
 */
import { open } from 'node:fs/promises'
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

async function* readErrorsAsUsage(file: string, texts: AsyncIterable<string>): AsyncGenerator<string> {
  try {
    yield* texts
  } catch (error) {
    throw fileError(file, error)
  }
}

/** The text of FILE, or of stdin when FILE is absent or `-`, in pieces as it is read. */
export async function openInput(file: string | undefined): Promise<AsyncIterable<string>> {
  if (file === undefined || file === '-') {
    if (process.stdin.isTTY) throw new UsageError('no input: give a FILE, or pipe JSON Lines or a JSON array on stdin')
    return process.stdin.setEncoding('utf8')
  }
  try {
    const handle = await open(file, 'r')
    if ((await handle.stat()).isDirectory()) {
      await handle.close()
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    }
    return readErrorsAsUsage(file, handle.createReadStream({ encoding: 'utf8', highWaterMark: READ_BYTES }))
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

async function* lines(texts: AsyncIterable<string>): AsyncGenerator<RawInput[]> {
  let carry = ''
  let line = 0
  const take = (text: string, batch: RawInput[]) => {
    line++
    const content = text.endsWith('\r') ? text.slice(0, -1) : text
    if (content.trim() !== '') batch.push({ text: content, line })
  }
  for await (const text of texts) {
    const pieces = (carry + text).split('\n')
    carry = pieces.pop() as string
    const batch: RawInput[] = []
    for (const piece of pieces) take(piece, batch)
    if (batch.length > 0) yield batch
  }
  const last: RawInput[] = []
  if (carry !== '') take(carry, last)
  if (last.length > 0) yield last
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

async function* prepend(head: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  if (head !== '') yield head
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}

/** The inputs of the text, in order, in batches as they are read. */
export async function* readInputs(texts: AsyncIterable<string>): AsyncGenerator<RawInput[]> {
  const iterator = texts[Symbol.asyncIterator]()
  let head = ''
  let format: Format | undefined
  while (format === undefined) {
    const next = await iterator.next()
    if (!next.done) head += next.value
    format = formatOf(head, next.done === true)
  }
  const rest = prepend(head, iterator)
  yield* format === 'lines' ? lines(rest) : parsedValues(rest, format)
}

/** Every input of FILE, parsed; for small inputs read whole (the demo's examples). */
export async function readAllInputs(file: string | undefined): Promise<ParsedInput[]> {
  const parsed: ParsedInput[] = []
  for await (const batch of readInputs(await openInput(file))) parsed.push(...batch.map(parseRawInput))
  return parsed
}
