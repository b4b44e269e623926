/** A worker thread of a streamed run: its own engine, the run's shared request slots, chunks in and outcomes out. */
import { parentPort, workerData } from 'node:worker_threads'
import { encodesEvents, processChunk } from './chunk'
import type { InputChunk } from './chunk'
import { Engine } from './engine'
import { RequestSlots } from './request-slots'
import type { WorkerSetup } from './processors'

export interface ChunkRequest {
  id: number
  chunk: InputChunk
}

function serve(): void {
  const port = parentPort
  if (!port) throw new Error('the runner worker must run in a worker thread')
  const setup = workerData as WorkerSetup
  const engine = new Engine(setup.config, {
    retry: setup.retry,
    graphUrl: setup.graphUrl,
    slots: new RequestSlots(setup.concurrency, setup.slots),
    encodeEvents: encodesEvents(setup.chunk.mode)
  })
  port.on('message', ({ id, chunk }: ChunkRequest) => {
    processChunk(engine, chunk, setup.chunk).then(
      (outcome) => port.postMessage({ id, outcome }),
      (error: unknown) => port.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
    )
  })
}

serve()
