/**
 * `serve --workers N`: a primary process owns the listening socket (node:cluster hands connections to the
 * workers) and keeps N worker processes, each running the whole ingest service. A worker that dies is replaced
 * while the others answer; a rolling restart replaces the workers one at a time, each new one listening before an
 * old one drains; shutdown drains every worker (its lingering batches flushed and answered) before the primary
 * exits. Over 150 lines because the primary's and the worker's halves of one protocol belong together.
 */
import cluster, { type Worker } from 'node:cluster'
import { randomUUID } from 'node:crypto'
import { AggregatorRegistry } from 'prom-client'
import type { IngestService } from './types'

const DRAIN = 'meta-pixel:drain'
const METRICS_REQUEST = 'meta-pixel:metrics-request'
const METRICS_REPLY = 'meta-pixel:metrics-reply'

interface Message {
  type?: string
  id?: string
  text?: string
  error?: string
}

export interface PrimaryOptions {
  workers: number
  /** Lines for stderr. */
  log: (line: string) => void
}

export interface Primary {
  /** The address the workers listen on, as the first worker reported it. */
  url: string
  rollingRestart(): Promise<void>
  /** Drains every worker, then resolves. */
  close(): Promise<void>
}

function listeningUrl(address: { address: string | null; port: number }): string {
  const host = address.address && address.address.includes(':') ? `[${address.address}]` : address.address
  return `http://${host ?? '127.0.0.1'}:${address.port}`
}

function exited(worker: Worker): Promise<void> {
  return worker.isDead() ? Promise.resolve() : new Promise((resolve) => worker.once('exit', () => resolve()))
}

/** Answers workers' /metrics with prom-client's aggregation over every worker's registry. */
function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry()
  cluster.on('message', (worker: Worker, message: Message) => {
    if (message?.type !== METRICS_REQUEST) return
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: METRICS_REPLY, id: message.id, text }),
      (error: Error) =>
        worker.isConnected() && worker.send({ type: METRICS_REPLY, id: message.id, error: error.message })
    )
  })
}

export async function startPrimary(options: PrimaryOptions): Promise<Primary> {
  const { log } = options
  // The workers accept from the shared socket themselves. In node's default round-robin mode the primary accepts
  // and hands each connection to a worker; one handed to a worker that dies before taking it is never closed nor
  // answered, and a client without a timeout of its own (RudderStack's SDK) then waits forever.
  cluster.schedulingPolicy = cluster.SCHED_NONE
  let closing = false
  const retiring = new Set<Worker>()
  const listening = new Set<Worker>()
  serveClusterMetrics()

  // Resolves when the worker listens; rejects when it exits before, which is fatal (it would only fail again).
  const fork = (): Promise<{ worker: Worker; url: string }> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork()
      worker.once('listening', (address) => {
        listening.add(worker)
        log(`worker ${worker.process.pid} listening`)
        resolve({ worker, url: listeningUrl(address) })
      })
      worker.once('exit', (code, signal) => {
        if (!listening.delete(worker)) {
          reject(new Error(`a worker exited before listening (${signal ?? `code ${code}`})`))
          return
        }
        if (closing || retiring.delete(worker)) return
        log(`worker ${worker.process.pid} died (${signal ?? `code ${code}`}); starting a replacement`)
        fork().catch((error: Error) => {
          if (!closing) log(`could not replace the worker: ${error.message}`)
        })
      })
    })

  // A worker still starting holds no request and may not listen for the word yet: it is stopped outright.
  const drain = async (worker: Worker): Promise<void> => {
    retiring.add(worker)
    if (!listening.has(worker)) worker.process.kill('SIGKILL')
    else if (worker.isConnected()) worker.send({ type: DRAIN })
    await exited(worker)
  }

  const living = () => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => !!worker)

  let first: { url: string }
  try {
    const started = await Promise.all(Array.from({ length: options.workers }, fork))
    first = started[0]
  } catch (error) {
    closing = true
    await Promise.all(living().map((worker) => drain(worker)))
    throw error
  }

  let restarting: Promise<void> | undefined
  const rollingRestart = (): Promise<void> => {
    restarting ??= (async () => {
      for (const old of living().filter((worker) => !retiring.has(worker))) {
        if (closing) break
        await fork()
        await drain(old)
        log(`worker ${old.process.pid} replaced`)
      }
    })().finally(() => (restarting = undefined))
    return restarting
  }

  let closed: Promise<void> | undefined
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true
      await restarting?.catch(() => undefined)
      await Promise.all(living().map((worker) => drain(worker)))
    })()
    return closed
  }

  return { url: first.url, rollingRestart, close }
}

/**
 * The worker's half: signals go to the primary, which coordinates (a terminal's Ctrl-C reaches every process of
 * the group); the worker drains on the primary's word, when the primary is gone, or on an uncaught exception
 * (what is in flight is still answered before the process ends).
 */
export function runWorker(service: IngestService, log: (line: string) => void): Promise<number> {
  AggregatorRegistry.setRegistries([service.metrics])
  // Constructing it adds prom-client's listener that answers the primary's requests for this worker's metrics.
  new AggregatorRegistry()
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR2'] as const) process.on(signal, () => undefined)
  return new Promise((resolve) => {
    let exitCode = 0
    const drain = () => void service.close().then(() => resolve(exitCode))
    process.on('message', (message: Message) => {
      if (message?.type === DRAIN) drain()
    })
    process.on('disconnect', drain)
    process.on('uncaughtException', (error) => {
      log(`worker ${process.pid}: uncaught ${error.name}; draining before exit`)
      exitCode = 1
      drain()
    })
  })
}

/** For a worker's GET /metrics: the primary's aggregation over all workers. */
export function clusterMetricsText(): Promise<string> {
  const id = randomUUID()
  return new Promise((resolve, reject) => {
    const onMessage = (message: Message) => {
      if (message?.type !== METRICS_REPLY || message.id !== id) return
      process.off('message', onMessage)
      if (message.error !== undefined) reject(new Error(message.error))
      else resolve(message.text ?? '')
    }
    process.on('message', onMessage)
    process.send?.({ type: METRICS_REQUEST, id })
  })
}
