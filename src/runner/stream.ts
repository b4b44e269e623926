/**
 * A streamed run: inputs are read as they are consumed, in chunks the reader cut (chunk.ts CHUNK_LIMITS), processed
 * by up to `window` chunks at once, and their results handed on in input order. The window bounds what is held (read
 * but not yet handed on), so memory does not grow with the input; only counters outlive a chunk.
 */
import { countOf } from './chunk'
import type { ChunkInputs, ChunkOutcome, InputChunk, StreamResult } from './chunk'
import type { ChunkProcessor } from './processors'

export interface StreamOptions {
  /** Chunks in flight at once; the reorder window. */
  window: number
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
  reads: AsyncIterable<ChunkInputs>,
  processor: ChunkProcessor,
  options: StreamOptions
): Promise<StreamTotals> {
  const now = options.now ?? Date.now
  const queue: Promise<ChunkOutcome>[] = []
  const totals: StreamTotals = { inputs: 0, requests: 0 }
  let settled = 0

  const handOnOldest = async () => {
    const outcome = await (queue.shift() as Promise<ChunkOutcome>)
    totals.requests += outcome.requests
    await options.onResults(outcome.results)
  }
  const dispatch = async (inputs: ChunkInputs) => {
    const chunk: InputChunk = { first: totals.inputs, receivedAt: now(), inputs }
    totals.inputs += countOf(inputs)
    const processing = processor.process(chunk)
    void processing.then((outcome) => {
      settled += outcome.results.length
      options.onProgress?.(settled, totals.inputs)
    })
    queue.push(processing)
    while (queue.length >= Math.max(1, options.window)) await handOnOldest()
  }

  try {
    for await (const inputs of reads) if (countOf(inputs) > 0) await dispatch(inputs)
  } finally {
    // Input that breaks off (a JSON array cut short) still answers for every chunk already read.
    while (queue.length > 0) await handOnOldest()
  }
  return totals
}
