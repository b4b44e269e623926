import { join } from 'node:path'
import { readInputs } from '../../src/cli/input'
import { Engine } from '../../src/runner/engine'
import type { RunnerConfig } from '../../src/runner/config'
import { processChunk } from '../../src/runner/chunk'
import type { ChunkInputs, ChunkOptions, InputChunk } from '../../src/runner/chunk'
import { WorkerPool } from '../../src/runner/processors'
import { RequestSlots } from '../../src/runner/request-slots'
import { referenceOrderCompleted, settings } from '../helpers'
import { startRecordingGraph } from './recording-graph'
import type { RecordingGraph } from './recording-graph'

// The compiled worker (jest's global setup builds dist/ from these sources): worker threads cannot load TypeScript.
const WORKER = join(__dirname, '..', '..', 'dist', 'runner', 'worker.js')
const config: RunnerConfig = { settings, amplitudeEventMap: {} }
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString()

function orders(count: number, prefix: string) {
  const timestamp = hourAgo()
  return Array.from({ length: count }, (_, i) => ({
    ...referenceOrderCompleted(),
    timestamp,
    messageId: `${prefix}-${i}`
  }))
}

const eventIds = (graph: RecordingGraph) =>
  graph.bodies.flatMap((body) => (JSON.parse(body) as { data: { event_id: string }[] }).data.map((e) => e.event_id))

async function* oneRead(text: string): AsyncGenerator<string> {
  yield text
}

async function readAll(chunks: AsyncIterable<ChunkInputs>): Promise<ChunkInputs[]> {
  const all: ChunkInputs[] = []
  for await (const chunk of chunks) all.push(chunk)
  return all
}

let graphs: RecordingGraph[] = []
afterEach(async () => {
  await Promise.all(graphs.map((graph) => graph.close()))
  graphs = []
})

async function graph(holdUntil?: number) {
  const started = await startRecordingGraph(holdUntil)
  graphs.push(started)
  return started
}

describe('engines side by side', () => {
  it('two engines with different Graph targets in one process send each to its own, and count their own', async () => {
    const [first, second] = [await graph(), await graph()]
    const seenFirst: number[] = []
    const seenSecond: number[] = []
    const engineA = new Engine(config, { graphUrl: first.url, onRequest: (r) => seenFirst.push(r.events) })
    const engineB = new Engine(config, { graphUrl: second.url, onRequest: (r) => seenSecond.push(r.events) })

    const [a, b] = await Promise.all([engineA.send(orders(1500, 'a')), engineB.send(orders(700, 'b'))])

    expect(a.requests).toBe(2)
    expect(b.requests).toBe(1)
    expect(seenFirst.sort()).toEqual([1000, 500].sort())
    expect(seenSecond).toEqual([700])
    expect(eventIds(first).sort()).toEqual(
      orders(1500, 'a')
        .map((e) => e.messageId)
        .sort()
    )
    expect(eventIds(second).sort()).toEqual(
      orders(700, 'b')
        .map((e) => e.messageId)
        .sort()
    )
    expect(process.env.META_GRAPH_URL).toBeUndefined()
  })
})

describe('--concurrency is the requests in flight in total', () => {
  // 100 events per request (the mapping's batch_size) so there are many requests to overlap.
  const smallBatches: RunnerConfig = { ...config, mapping: { batch_size: 100 } }

  it.each([1, 3])('one engine never has more than %i requests in flight', async (limit) => {
    const recording = await graph(limit + 1)
    const report = await new Engine(smallBatches, { graphUrl: recording.url, concurrency: limit }).send(
      orders(2000, 'c')
    )
    expect(report.results.every((result) => 'status' in result && result.status === 200)).toBe(true)
    expect(report.requests).toBe(20)
    expect(recording.maxInFlight()).toBeLessThanOrEqual(limit)
  })

  it('worker threads share the limit: 2 workers, 3 chunks each, never more than 2 requests in flight', async () => {
    const recording = await graph(3)
    const slots = new RequestSlots(2)
    const options: ChunkOptions = { mode: 'send', source: 'segment', stampReceiptTime: false }
    const pool = new WorkerPool(2, { config: smallBatches, graphUrl: recording.url, chunk: options }, slots, WORKER)
    try {
      const events = orders(3000, 'w')
      const chunks: InputChunk[] = [0, 1, 2].map((n) => ({
        first: n * 1000,
        receivedAt: Date.now(),
        inputs: { values: events.slice(n * 1000, n * 1000 + 1000) }
      }))
      const outcomes = await Promise.all(chunks.map((chunk) => pool.process(chunk)))
      expect(outcomes.reduce((sum, outcome) => sum + outcome.requests, 0)).toBe(30)
      expect(outcomes.flatMap((outcome) => outcome.results.map((result) => result.index))).toEqual(
        events.map((_event, index) => index)
      )
    } finally {
      await pool.close()
    }
    expect(recording.maxInFlight()).toBeLessThanOrEqual(2)
    expect(eventIds(recording)).toHaveLength(3000)
  })
})

describe('worker threads', () => {
  it('send byte-identical request bodies to the main-thread path', async () => {
    const [main, workers] = [await graph(), await graph()]
    const events = orders(2500, 'same')
    // JSON Lines bytes, as the CLI reads and packs them, with one malformed line among them.
    const lines = events.map((event) => JSON.stringify(event))
    lines.splice(7, 0, '{"type": "track", broken')
    const [inputs] = await readAll(readInputs(oneRead(`${lines.join('\n')}\n`), { inputs: 5000, bytes: 1 << 30 }))
    const chunk: InputChunk = { first: 0, receivedAt: Date.now(), inputs }
    const options: ChunkOptions = { mode: 'send', source: 'auto', stampReceiptTime: true }

    const inProcess = await processChunk(new Engine(config, { graphUrl: main.url }), chunk, options)
    const pool = new WorkerPool(2, { config, graphUrl: workers.url, chunk: options }, new RequestSlots(4), WORKER)
    let viaWorker
    try {
      viaWorker = await pool.process(chunk)
    } finally {
      await pool.close()
    }

    expect(main.bodies.length).toBe(3)
    expect([...workers.bodies].sort()).toEqual([...main.bodies].sort())
    expect(viaWorker).toEqual(inProcess)
    expect(inProcess.results[7]).toEqual({ index: 7, status: 400, error: 'line 8 is not valid JSON', retryable: false })
  })
})

describe('a worker thread that dies', () => {
  it('answers for every input of the chunks it held, after their buffers moved to it, and of later chunks', async () => {
    const slots = new RequestSlots(1)
    const options: ChunkOptions = { mode: 'send', source: 'auto', stampReceiptTime: true }
    const exits = join(__dirname, 'workers', 'exits.mjs')
    const pool = new WorkerPool(1, { config, chunk: options }, slots, exits)
    const reason = 'not processed: the worker thread exited with code 3'
    const failed = (first: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ index: first + i, status: 500, error: reason, retryable: true }))
    try {
      const [inputs] = await readAll(readInputs(oneRead('{"a":1}\n\n{"a":2}\n{"a":3}\n')))
      const chunk: InputChunk = { first: 10, receivedAt: Date.now(), inputs }
      expect(await pool.process(chunk)).toEqual({ results: failed(10, 3), requests: 0 })
      if ('lines' in inputs) expect(inputs.lines.lineNumbers).toHaveLength(0) // moved to the worker, not copied
      const later = { first: 13, receivedAt: Date.now(), inputs: { values: [{}, {}] } }
      expect(await pool.process(later)).toEqual({ results: failed(13, 2), requests: 0 })
    } finally {
      await pool.close()
    }
  })
})
