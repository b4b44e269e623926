/**
 * The streamed run behind map and send: input read as consumed, chunks processed on worker threads (or the main
 * thread with --workers 0), results handed on in input order.
 */
import { availableParallelism } from 'node:os'
import type { Command } from 'commander'
import type { RetryPolicy } from '../runner/backoff'
import { encodesEvents } from '../runner/chunk'
import type { RunMode, StreamResult } from '../runner/chunk'
import type { RunnerConfig } from '../runner/config'
import { DEFAULT_CONCURRENCY } from '../runner/engine'
import type { InputSource } from '../runner/input'
import { inProcess, WorkerPool } from '../runner/processors'
import type { ChunkProcessor } from '../runner/processors'
import { RequestSlots } from '../runner/request-slots'
import { runStream } from '../runner/stream'
import type { StreamTotals } from '../runner/stream'
import { createEngine } from './engine'
import { openInput, readInputs } from './input'
import { integerIn } from './options'

export interface BulkOptions {
  source: InputSource
  /** Worker threads for the per-event work; 0 runs it on the main thread. */
  workers: number
  /** Requests to Meta in flight, in total. */
  concurrency?: number
  retry?: Partial<RetryPolicy>
  /** Where the engines send (the embedded sandbox); default META_GRAPH_URL, else Meta. */
  graphUrl?: string
}

export interface BulkHandlers {
  onResults: (results: StreamResult[]) => void | Promise<void>
  onProgress?: (settled: number, read: number) => void
}

/** Chunks in flight: enough to keep every worker busy while requests are out, few enough to keep memory flat. */
const MAX_WINDOW = 64

export function windowFor(mode: RunMode, workers: number, concurrency: number): number {
  return Math.min(MAX_WINDOW, 2 * Math.max(1, workers) + (mode === 'send' ? concurrency : 0))
}

export function addWorkersOption(command: Command): Command {
  return command.option(
    '--workers <n>',
    'worker threads for mapping and hashing (0: the main thread only)',
    integerIn(0, 256),
    availableParallelism()
  )
}

export async function runBulk(
  file: string | undefined,
  config: RunnerConfig,
  mode: RunMode,
  options: BulkOptions,
  handlers: BulkHandlers
): Promise<StreamTotals> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  const slots = new RequestSlots(concurrency)
  // Settings the destination rejects are a usage error, found on the main thread before any worker starts.
  const engine = createEngine(config, {
    retry: options.retry,
    graphUrl: options.graphUrl,
    slots,
    encodeEvents: encodesEvents(mode)
  })
  const reads = readInputs(await openInput(file))
  const chunk = { mode, source: options.source, stampReceiptTime: true }
  const processor: ChunkProcessor =
    options.workers > 0
      ? new WorkerPool(options.workers, { config, retry: options.retry, graphUrl: options.graphUrl, chunk }, slots)
      : inProcess(engine, chunk)
  try {
    return await runStream(reads, processor, {
      window: windowFor(mode, options.workers, concurrency),
      onResults: handlers.onResults,
      onProgress: handlers.onProgress
    })
  } finally {
    await processor.close()
  }
}
