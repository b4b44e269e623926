/**
 * One chunk of a streamed run (up to 1,000 inputs) through an engine: the unit a worker thread takes, and the main
 * thread when there are no workers. Parsing, receipt-time stamping, mapping and sending all happen here, so they run
 * on whichever thread holds the chunk.
 */
import type { Diagnostic } from '../lib/capi-event'
import type { Engine, EventResult, PreparedInputs } from './engine'
import type { InputSource } from './input'
import { ingestOne } from './ingest'

/**
 * JSON Lines as a chunk carries them: the UTF-8 bytes of its lines joined by "\n" (blank lines left out, each line
 * without its line ending), and each line's number in the input. Both buffers belong to the chunk alone, so a chunk
 * moves to a worker thread in one piece, without a copy or an object per line.
 */
export interface LineBlock {
  bytes: Uint8Array<ArrayBuffer>
  lineNumbers: Uint32Array<ArrayBuffer>
}

/** A chunk's inputs as read: JSON Lines still to parse, or values a JSON parser produced. */
export type ChunkInputs = { lines: LineBlock } | { values: unknown[] }

export interface InputChunk {
  /** The index of the chunk's first input in the whole input. */
  first: number
  /** When the chunk was read (ms since the epoch): the receipt time of inputs without one. */
  receivedAt: number
  inputs: ChunkInputs
}

/** At most this many inputs and (but for a single longer line) bytes of JSON Lines in one chunk. */
export interface ChunkLimits {
  inputs: number
  bytes: number
}

/** One full request to Meta for homogeneous input, and a bounded size for a chunk of very large events. */
export const CHUNK_LIMITS: ChunkLimits = { inputs: 1_000, bytes: 4 * 1024 * 1024 }

export function countOf(inputs: ChunkInputs): number {
  return 'values' in inputs ? inputs.values.length : inputs.lines.lineNumbers.length
}

/** What moves to a worker thread with the chunk instead of being copied. */
export function transferListOf(inputs: ChunkInputs): ArrayBuffer[] {
  return 'lines' in inputs ? [inputs.lines.bytes.buffer, inputs.lines.lineNumbers.buffer] : []
}

/**
 * A delivered event as a send run hands it back across threads: by name and id, all its report shows, since
 * copying the whole server event between threads cost as much as building it.
 */
export interface NamedResult {
  index: number
  status: 200
  named: { event_name: string; event_id?: string }
  diagnostics?: Diagnostic[]
}

/** A result as a streamed run hands it on: map keeps the whole server event, send names a delivered one. */
export type StreamResult = EventResult | NamedResult

export interface ChunkOutcome {
  /** One result per input of the chunk, in order, indexed in the whole input. */
  results: StreamResult[]
  requests: number
}

export type RunMode = 'map' | 'send'

/** A send run reports delivered events by name (see processChunk), so its engine holds built events as text. */
export function encodesEvents(mode: RunMode): boolean {
  return mode === 'send'
}

export interface ChunkOptions {
  mode: RunMode
  source: InputSource
  /** Give inputs without a time the chunk's receipt time, as Segment's and Amplitude's APIs do. */
  stampReceiptTime: boolean
}

/** One input as parsed: its JSON value, or the reason its line is not JSON. */
export type ParsedInput = { ok: true; value: unknown } | { ok: false; error: string }

// A byte order mark is kept by the decoder and dropped per line, so one at the start of any line is ignored alike.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
const BYTE_ORDER_MARK = 0xfeff
const NEWLINE = 0x0a

function parseLine(text: string, line: number): ParsedInput {
  try {
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text) }
  } catch {
    return { ok: false, error: `line ${line} is not valid JSON` }
  }
}

/** Each input of a chunk parsed in turn, with its position; a line that is not JSON is an error of its own. */
export function* parsedInputs(inputs: ChunkInputs): Generator<ParsedInput> {
  if ('values' in inputs) {
    for (const value of inputs.values) yield { ok: true, value }
    return
  }
  const { bytes, lineNumbers } = inputs.lines
  // Line by line: decoding the whole block at once is slower, since one non-ASCII character widens all of it.
  let start = 0
  for (let position = 0; position < lineNumbers.length; position++) {
    const newline = bytes.indexOf(NEWLINE, start)
    const end = newline === -1 ? bytes.length : newline
    yield parseLine(utf8.decode(bytes.subarray(start, end)), lineNumbers[position])
    start = end + 1
  }
}

/**
 * Each input is parsed, stamped and prepared before the next is parsed, so a chunk holds its built events and not
 * its parsed inputs too (see Preparer); then a send delivers them.
 */
export async function processChunk(engine: Engine, chunk: InputChunk, options: ChunkOptions): Promise<ChunkOutcome> {
  const receivedAt = chunk.receivedAt
  const results: StreamResult[] = new Array(countOf(chunk.inputs))
  const positions: number[] = []
  const prepared: PreparedInputs = []
  let position = 0
  for (const input of parsedInputs(chunk.inputs)) {
    if (!input.ok) {
      results[position] = { index: chunk.first + position, status: 400, error: input.error, retryable: false }
    } else {
      // The ingestion front detects the source once and, as Segment's and Amplitude's APIs do, stamps receipt time.
      const ingested = ingestOne(input.value, options.source, { receivedAt })
      const value = options.stampReceiptTime ? ingested.input : input.value
      prepared.push(...engine.prepare([value], [ingested.source]))
      positions.push(position)
    }
    position++
  }
  const outcome =
    options.mode === 'map'
      ? { results: prepared.map((item) => item.result), requests: 0 }
      : await engine.deliver(prepared)
  outcome.results.forEach((result, valueIndex) => {
    const indexed = { ...result, index: chunk.first + positions[valueIndex] }
    results[positions[valueIndex]] = options.mode === 'send' ? namedIfDelivered(indexed) : indexed
  })
  return { results, requests: outcome.requests }
}

function namedIfDelivered(result: EventResult): StreamResult {
  if (!('event' in result)) return result
  const { event, ...rest } = result
  return { ...rest, named: { event_name: event.event_name, event_id: event.event_id } }
}

/** Where a chunk sits in the whole input: enough to answer for its inputs once its buffers have moved to a worker. */
export interface ChunkSpan {
  first: number
  count: number
}

export function spanOf(chunk: InputChunk): ChunkSpan {
  return { first: chunk.first, count: countOf(chunk.inputs) }
}

/** Every input of a chunk that could not be processed at all, as a retryable failure that says why. */
export function failedChunk({ first, count }: ChunkSpan, reason: string): ChunkOutcome {
  const error = `not processed: ${reason}`
  return {
    results: Array.from({ length: count }, (_input, position) => ({
      index: first + position,
      status: 500,
      error,
      retryable: true
    })),
    requests: 0
  }
}
