/**
 * Who processes a streamed run's chunks: the main thread's own engine, or a pool of worker threads, each with an
 * engine of its own and all sharing one set of request slots, so `--concurrency` stays a total.
 */
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { RetryPolicy } from './backoff'
import { failedChunk, processChunk, spanOf, transferListOf } from './chunk'
import type { ChunkOptions, ChunkOutcome, ChunkSpan, InputChunk } from './chunk'
import type { RunnerConfig } from './config'
import type { Engine } from './engine'
import type { RequestSlots } from './request-slots'

export interface ChunkProcessor {
  /** Never rejects: a chunk that cannot be processed comes back with every input failed and the reason. */
  process(chunk: InputChunk): Promise<ChunkOutcome>
  close(): Promise<void>
}

/** Everything a worker needs to build its engine; plain data, as worker threads receive it. */
export interface WorkerSetup {
  config: RunnerConfig
  retry?: Partial<RetryPolicy>
  graphUrl?: string
  concurrency: number
  slots: SharedArrayBuffer
  chunk: ChunkOptions
}

/**
 * A worker's live data is a few chunks (each at most 1,000 inputs and about 4 MiB of text) and the destination's code;
 * a bounded old generation makes V8 collect before the heap balloons, so the whole process stays flat in memory.
 * A worker that still runs out fails its chunks with a reason instead of taking the process down.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 256 }

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

export function inProcess(engine: Engine, options: ChunkOptions): ChunkProcessor {
  return {
    process: (chunk) =>
      processChunk(engine, chunk, options).catch((error) => failedChunk(spanOf(chunk), messageOf(error))),
    close: async () => undefined
  }
}

interface Pending {
  /** The chunk's place, not the chunk: its buffers move to the worker. */
  span: ChunkSpan
  resolve: (outcome: ChunkOutcome) => void
}

type WorkerAnswer = { id: number; outcome: ChunkOutcome } | { id: number; error: string }

class PoolWorker {
  readonly pending = new Map<number, Pending>()
  private failure: string | undefined

  constructor(readonly worker: Worker) {
    worker.on('message', (answer: WorkerAnswer) => {
      const pending = this.pending.get(answer.id)
      if (!pending) return
      this.pending.delete(answer.id)
      pending.resolve('outcome' in answer ? answer.outcome : failedChunk(pending.span, answer.error))
    })
    // A worker that dies answers for its chunks: nothing it held is lost without a word.
    worker.on('error', (error) => this.fail(`the worker thread failed: ${messageOf(error)}`))
    worker.on('exit', (code) => this.fail(`the worker thread exited with code ${code}`))
  }

  get usable(): boolean {
    return this.failure === undefined
  }

  send(id: number, chunk: InputChunk): Promise<ChunkOutcome> {
    const span = spanOf(chunk)
    if (this.failure !== undefined) return Promise.resolve(failedChunk(span, this.failure))
    return new Promise((resolve) => {
      this.pending.set(id, { span, resolve })
      this.worker.postMessage({ id, chunk }, transferListOf(chunk.inputs))
    })
  }

  private fail(reason: string): void {
    this.failure ??= reason
    for (const { span, resolve } of this.pending.values()) resolve(failedChunk(span, reason))
    this.pending.clear()
  }
}

export class WorkerPool implements ChunkProcessor {
  private readonly workers: PoolWorker[]
  private nextId = 0

  constructor(
    count: number,
    setup: Omit<WorkerSetup, 'slots' | 'concurrency'>,
    slots: RequestSlots,
    script = join(__dirname, 'worker.js')
  ) {
    const workerData: WorkerSetup = { ...setup, concurrency: slots.limit, slots: slots.shared }
    this.workers = Array.from(
      { length: count },
      () => new PoolWorker(new Worker(script, { workerData, resourceLimits: WORKER_LIMITS }))
    )
  }

  /** To the live worker with the fewest chunks outstanding. */
  process(chunk: InputChunk): Promise<ChunkOutcome> {
    const live = this.workers.filter((worker) => worker.usable)
    const target = (live.length > 0 ? live : this.workers).reduce((least, worker) =>
      worker.pending.size < least.pending.size ? worker : least
    )
    return target.send(this.nextId++, chunk)
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.worker.terminate()))
  }
}
