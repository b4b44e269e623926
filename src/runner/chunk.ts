/**
 * One chunk of a streamed run (up to 1,000 inputs) through an engine: the unit a worker thread takes, and the main
 * thread when there are no workers. Parsing, receipt-time stamping, mapping and sending all happen here, so they run
 * on whichever thread holds the chunk.
 */
import type { Diagnostic } from '../lib/capi-event'
import type { Engine, EventResult } from './engine'
import type { InputSource } from './input'
import { ingestOne } from './ingest'
import type { ReadAs } from './input'

/** An input as read: a JSON Lines line still to parse (its UTF-8 bytes and line number), or a value a JSON parser produced. */
export type RawInput = { bytes: Uint8Array; line: number } | { value: unknown }

export interface InputChunk {
  /** The index of the chunk's first input in the whole input. */
  first: number
  /** When the chunk was read (ms since the epoch): the receipt time of inputs without one. */
  receivedAt: number
  inputs: RawInput[]
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

export interface ChunkOptions {
  mode: RunMode
  source: InputSource
  /** Give inputs without a time the chunk's receipt time, as Segment's and Amplitude's APIs do. */
  stampReceiptTime: boolean
}

/** One input as parsed: its JSON value, or the reason its line is not JSON. */
export type ParsedInput = { ok: true; value: unknown } | { ok: false; error: string }

const utf8 = new TextDecoder()

export function parseRawInput(input: RawInput): ParsedInput {
  if ('value' in input) return { ok: true, value: input.value }
  try {
    return { ok: true, value: JSON.parse(utf8.decode(input.bytes)) }
  } catch {
    return { ok: false, error: `line ${input.line} is not valid JSON` }
  }
}

export async function processChunk(engine: Engine, chunk: InputChunk, options: ChunkOptions): Promise<ChunkOutcome> {
  const now = new Date(chunk.receivedAt)
  const results: StreamResult[] = new Array(chunk.inputs.length)
  const positions: number[] = []
  const values: unknown[] = []
  const sources: ReadAs[] = []
  chunk.inputs.forEach((input, position) => {
    const parsed = parseRawInput(input)
    if (!parsed.ok) {
      results[position] = { index: chunk.first + position, status: 400, error: parsed.error, retryable: false }
      return
    }
    positions.push(position)
    // The ingestion front detects the source once and, as Segment's and Amplitude's APIs do, stamps receipt time.
    const ingested = ingestOne(parsed.value, options.source, { receivedAt: now.getTime() })
    values.push(options.stampReceiptTime ? ingested.input : parsed.value)
    sources.push(ingested.source)
  })
  const outcome =
    options.mode === 'map'
      ? { results: await engine.map(values, sources), requests: 0 }
      : await engine.send(values, sources)
  outcome.results.forEach((result, valueIndex) => {
    const position = positions[valueIndex]
    const indexed = { ...result, index: chunk.first + position }
    results[position] = options.mode === 'send' ? namedIfDelivered(indexed) : indexed
  })
  return { results, requests: outcome.requests }
}

function namedIfDelivered(result: EventResult): StreamResult {
  if (!('event' in result)) return result
  const { event, ...rest } = result
  return { ...rest, named: { event_name: event.event_name, event_id: event.event_id } }
}

/** Bytes a chunk's inputs hold: what bounds a chunk of very large lines. */
export function sizeOf(input: RawInput): number {
  return 'bytes' in input ? input.bytes.byteLength : 0
}

/**
 * The chunk with its lines' bytes copied into one buffer, and that buffer, to be moved (not copied) to a worker
 * thread: the lines are views of read buffers that other chunks share, which a message would copy whole.
 */
export function packedForTransfer(chunk: InputChunk): { chunk: InputChunk; transfer: ArrayBuffer[] } {
  const total = chunk.inputs.reduce((sum, input) => sum + sizeOf(input), 0)
  if (total === 0) return { chunk, transfer: [] }
  const packed = new Uint8Array(total)
  let offset = 0
  const inputs = chunk.inputs.map((input): RawInput => {
    if (!('bytes' in input)) return input
    packed.set(input.bytes, offset)
    const bytes = packed.subarray(offset, (offset += input.bytes.byteLength))
    return { bytes, line: input.line }
  })
  return { chunk: { ...chunk, inputs }, transfer: [packed.buffer] }
}

/** Every input of a chunk that could not be processed at all, as a retryable failure that says why. */
export function failedChunk(chunk: InputChunk, reason: string): ChunkOutcome {
  const error = `not processed: ${reason}`
  return {
    results: chunk.inputs.map((_input, position) => ({
      index: chunk.first + position,
      status: 500,
      error,
      retryable: true
    })),
    requests: 0
  }
}
