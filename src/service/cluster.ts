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
import { doublingDelayMs } from '../runner/backoff'
import type { IngestService } from './types'

const DRAIN = 'meta-pixel:drain'
/** From a worker: it listens and answers (its handlers are in place). */
const READY = 'meta-pixel:ready'
/** From a worker that cannot start: why, in one line (already redacted), just before it exits. */
const STARTUP_FAILED = 'meta-pixel:startup-failed'
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
  /** Replacements that fail at start-up this many times in a row stop the service (default 5). */
  maxStartupFailures?: number
}

/** Waits between replacements that fail at start-up: doubling from the base, up to the cap, without jitter. */
const STARTUP_RETRY = { baseDelayMs: 100, maxDelayMs: 2_000 }
const DEFAULT_MAX_STARTUP_FAILURES = 5

export interface Primary {
  /** The address the workers listen on, as the first worker reported it. */
  url: string
  rollingRestart(): Promise<void>
  /** Drains every worker, then resolves. */
  close(): Promise<void>
  /**
   * Rejects when the service cannot go on: replacement workers failed at start-up `maxStartupFailures` times in a
   * row (e.g. the config file was broken since the service started); the other workers are drained by then.
   */
  failed: Promise<never>
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

/** Why a worker that never became ready ended: its own message when it sent one, else how it exited. */
function startupFailure(reason: string | undefined, code: number | null, signal: string | null): Error {
  return new Error(reason ?? `a worker exited during start-up (${signal ?? `code ${code}`})`)
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export async function startPrimary(options: PrimaryOptions): Promise<Primary> {
  const { log } = options
  const maxStartupFailures = options.maxStartupFailures ?? DEFAULT_MAX_STARTUP_FAILURES
  // The workers accept from the shared socket themselves. In node's default round-robin mode the primary accepts
  // and hands each connection to a worker; one handed to a worker that dies before taking it is never closed nor
  // answered, and a client without a timeout of its own (RudderStack's SDK) then waits forever.
  cluster.schedulingPolicy = cluster.SCHED_NONE
  let closing = false
  const retiring = new Set<Worker>()
  const ready = new Set<Worker>()
  let fail!: (error: Error) => void
  const failed = new Promise<never>((_resolve, reject) => (fail = reject))
  failed.catch(() => undefined)
  serveClusterMetrics()

  // Resolves when the worker is ready; rejects when it exits before (it could not start).
  const fork = (): Promise<{ worker: Worker; url: string }> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork()
      let url = ''
      let reason: string | undefined
      worker.once('listening', (address) => (url = listeningUrl(address)))
      worker.on('message', (message: Message) => {
        if (message?.type === STARTUP_FAILED) reason = message.error
        if (message?.type !== READY || ready.has(worker)) return
        ready.add(worker)
        log(`worker ${worker.process.pid} listening`)
        resolve({ worker, url })
      })
      worker.once('exit', (code, signal) => {
        if (!ready.delete(worker)) {
          // Its last word (why it could not start) may still be in the channel: the channel is read to its end.
          const refuse = () => reject(startupFailure(reason, code, signal))
          return void (worker.isConnected() ? worker.once('disconnect', refuse) : refuse())
        }
        if (closing || retiring.delete(worker)) return
        log(`worker ${worker.process.pid} died (${signal ?? `code ${code}`}); starting a replacement`)
        void replace()
      })
    })

  // A replacement that fails at start-up would fail again at once (a port taken, a config file broken since): it is
  // retried with a doubling pause, and after `maxStartupFailures` failures in a row the service stops, loudly.
  let startupFailures = 0
  const replace = async (): Promise<void> => {
    while (!closing) {
      try {
        await fork()
        startupFailures = 0
        return
      } catch (error) {
        if (closing) return
        const message = (error as Error).message
        if (++startupFailures >= maxStartupFailures) {
          const stop = new Error(`${startupFailures} workers in a row failed at start-up: ${message}`)
          return void close().then(() => fail(stop))
        }
        const waitMs = doublingDelayMs(startupFailures, STARTUP_RETRY)
        log(`a replacement worker failed at start-up (${message}); trying again in ${waitMs} ms`)
        await pause(waitMs)
      }
    }
  }

  // A worker still starting holds no request and may not listen for the word yet: it is stopped outright.
  const drain = async (worker: Worker): Promise<void> => {
    retiring.add(worker)
    if (!ready.has(worker)) worker.process.kill('SIGKILL')
    else if (worker.isConnected()) worker.send({ type: DRAIN })
    await exited(worker)
  }

  const living = () => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => !!worker)

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

  let first: { url: string }
  try {
    const started = await Promise.all(Array.from({ length: options.workers }, fork))
    first = started[0]
  } catch (error) {
    await close()
    throw error
  }
  return { url: first.url, rollingRestart, close, failed }
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
    // Ready once the primary's word can be heard: until then, the primary stops this worker outright.
    process.send?.({ type: READY })
  })
}

/**
 * A worker that cannot start tells the primary why (one line, already free of secrets) and exits: the primary
 * reports it once, instead of every worker printing it; and the worker must not stay alive without a server (its
 * channel to the primary would hold it open).
 */
export function failWorkerStartup(reason: string, exitCode: number): void {
  const exit = () => process.exit(exitCode)
  if (!process.send || !process.connected) return exit()
  process.send({ type: STARTUP_FAILED, error: reason }, exit)
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
