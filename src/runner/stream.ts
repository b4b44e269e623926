/**
 * A streamed run: inputs are read as they are consumed, cut into chunks, processed by up to `window` chunks at once,
 * and their results handed on in input order. The window bounds what is held (read but not yet handed on), so memory
 * does not grow with the input; only counters outlive a chunk.
 */
import { sizeOf } from './chunk'
import type { ChunkOutcome, InputChunk, RawInput, StreamResult } from './chunk'
import type { ChunkProcessor } from './processors'

/** Inputs per chunk: one full request to Meta for homogeneous input. */
export const CHUNK_SIZE = 1_000
/** Bytes of JSON Lines per chunk at most, so a chunk of very large events stays a bounded size. */
export const CHUNK_BYTE_LIMIT = 4 * 1024 * 1024

export interface StreamOptions {
  /** Chunks in flight at once; the reorder window. */
  window: number
  chunkSize?: number
  /** Each chunk's results, in input order; a returned promise holds the run until it settles (backpressure). */
  onResults: (results: StreamResult[]) => void | Promise<void>
  /** Results settled so far (in any order) and inputs read so far. */
  onProgress?: (settled: number, read: number) => void
  now?: () => number
}

export interface StreamTotals {
  inputs: number
  requests: number
}

export async function runStream(
  reads: AsyncIterable<RawInput[]>,
  processor: ChunkProcessor,
  options: StreamOptions
): Promise<StreamTotals> {
  const chunkSize = options.chunkSize ?? CHUNK_SIZE
  const now = options.now ?? Date.now
  const queue: Promise<ChunkOutcome>[] = []
  const totals: StreamTotals = { inputs: 0, requests: 0 }
  let settled = 0
  let buffer: RawInput[] = []
  let bufferedBytes = 0

  const handOnOldest = async () => {
    const outcome = await (queue.shift() as Promise<ChunkOutcome>)
    totals.requests += outcome.requests
    await options.onResults(outcome.results)
  }
  const dispatch = async () => {
    const chunk: InputChunk = { first: totals.inputs, receivedAt: now(), inputs: buffer }
    totals.inputs += buffer.length
    buffer = []
    bufferedBytes = 0
    const processing = processor.process(chunk)
    void processing.then((outcome) => {
      settled += outcome.results.length
      options.onProgress?.(settled, totals.inputs)
    })
    queue.push(processing)
    while (queue.length >= Math.max(1, options.window)) await handOnOldest()
  }

  try {
    for await (const inputs of reads) {
      for (const input of inputs) {
        buffer.push(input)
        bufferedBytes += sizeOf(input)
        if (buffer.length >= chunkSize || bufferedBytes >= CHUNK_BYTE_LIMIT) await dispatch()
      }
    }
    if (buffer.length > 0) await dispatch()
  } finally {
    // Input that breaks off (a JSON array cut short) still answers for every chunk already read.
    while (queue.length > 0) await handOnOldest()
  }
  return totals
}
