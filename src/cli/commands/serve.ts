import cluster from 'node:cluster'
import { availableParallelism } from 'node:os'
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import { loadServiceSources } from '../../runner/config'
import type { ServiceSources } from '../../runner/config'
import type { EngineOptions } from '../../runner/engine'
import type { Sandbox } from '../../sandbox'
import { startIngestService } from '../../service'
import type { IngestService, ServiceOptions } from '../../service'
import { clusterMetricsText, failWorkerStartup, runWorker, startPrimary } from '../../service/cluster'
import { parseTrustProxy, type TrustProxy } from '../../service/request-ip'
import { readConfig } from '../config'
import { mappingUrl, pageUrl, startEmbeddedSandbox } from '../embedded-sandbox'
import { CliError, messageOf, redact, UsageError } from '../errors'
import { addSandboxOption, integerIn, parsePort } from '../options'
import { note, printLine } from '../output'
import { reportOutcomesOverHttp, reportOutcomesTo } from '../sandbox-outcomes'
import { closeOnSignal } from '../signals'

export interface ServeOptions {
  port: number
  host: string
  config?: string
  writeKey?: string
  sandbox?: boolean
  /** Worker processes; 0 runs the service in this process. Default: the number of cores. */
  workers?: number
  trustProxy?: TrustProxy
  requestBudgetMs?: number
}

/** Set by the primary for its workers: the URL of the embedded sandbox it started and delivers to. */
const SANDBOX_URL_ENV = 'META_PIXEL_SERVE_SANDBOX_URL'

/** The service's sources and target; a misconfigured service refuses to start (exit 2, the reason on stderr). */
function readSources(options: ServeOptions): ServiceSources {
  return readConfig(
    () =>
      loadServiceSources({
        file: options.config,
        env: process.env,
        sandbox: options.sandbox,
        writeKeys: options.writeKey === undefined ? [] : [options.writeKey]
      }),
    (loaded) => Object.values(loaded.sources)
  )
}

function isListenError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL'
}

async function startService(
  options: ServeOptions,
  sources: ServiceSources['sources'],
  extra: Partial<ServiceOptions> = {}
): Promise<IngestService> {
  try {
    return await startIngestService({
      host: options.host,
      port: options.port,
      sources,
      log: note,
      trustProxy: options.trustProxy,
      requestBudgetMs: options.requestBudgetMs,
      ...extra
    })
  } catch (error) {
    if (isListenError(error))
      throw new CliError(`cannot listen on ${options.host}:${options.port}: ${messageOf(error)}`)
    throw new UsageError(messageOf(error))
  }
}

/** A cluster worker's service: the same configuration as its primary, read again. */
async function startWorkerService(options: ServeOptions): Promise<IngestService> {
  const sandboxUrl = process.env[SANDBOX_URL_ENV]
  // The primary chose the sandbox: its workers deliver there too (it passes them its URL, nothing else).
  const { sources } = readSources({ ...options, sandbox: options.sandbox || sandboxUrl !== undefined })
  // With the embedded sandbox as target, its page also shows the events the runner refused or skipped.
  const engine: EngineOptions | undefined = sandboxUrl
    ? { ...reportOutcomesOverHttp(sandboxUrl), graphUrl: sandboxUrl }
    : undefined
  return startService(options, sources, { metricsText: clusterMetricsText, ...(engine && { engine }) })
}

/** A cluster worker: it answers until the primary says drain; one that cannot start tells the primary why. */
async function runServeWorker(options: ServeOptions): Promise<void> {
  let service: IngestService
  try {
    service = await startWorkerService(options)
  } catch (error) {
    const message = error instanceof CliError ? error.message : `unexpected error: ${messageOf(error)}`
    return failWorkerStartup(redact(message), error instanceof CliError ? error.exitCode : 1)
  }
  const code = await runWorker(service, note)
  // Everything is answered; keep-alive sockets to Meta must not hold the worker open.
  process.exit(code)
}

async function startSandboxFor(target: ServiceSources['target'], options: ServeOptions): Promise<Sandbox | undefined> {
  if (target !== 'sandbox') return undefined
  const sandbox = await startEmbeddedSandbox()
  note(
    options.sandbox
      ? 'Delivering to the embedded sandbox (--sandbox), not to Meta.'
      : 'No Meta target configured: delivering to the embedded sandbox instead of Meta.'
  )
  note(`Sandbox test events: ${pageUrl(sandbox)}`)
  return sandbox
}

/** --workers 0: the service in this process. */
async function runInProcess(options: ServeOptions, sources: ServiceSources['sources'], sandbox?: Sandbox) {
  let service: IngestService
  try {
    service = await startService(
      options,
      sources,
      sandbox && { engine: { ...reportOutcomesTo(sandbox), graphUrl: sandbox.url } }
    )
  } catch (error) {
    await sandbox?.close()
    throw error
  }
  const closed = closeOnSignal(async () => {
    await service.close()
    await sandbox?.close()
  })
  printLine(service.url)
  note(`Ingest service listening on ${service.url}: Segment POST /v1/batch, Amplitude POST /2/httpapi. Ctrl-C to stop.`)
  note(`Mapping preview: ${mappingUrl(service.url)}`)
  await closed
}

async function runPrimary(options: ServeOptions, workers: number, sandbox?: Sandbox): Promise<void> {
  if (sandbox) process.env[SANDBOX_URL_ENV] = sandbox.url
  let primary: Awaited<ReturnType<typeof startPrimary>>
  try {
    primary = await startPrimary({ workers, log: note })
  } catch (error) {
    await sandbox?.close()
    throw new CliError(`the service could not start: ${messageOf(error)}`)
  }
  const restart = (signal: NodeJS.Signals) => {
    note(`${signal}: rolling restart of the workers…`)
    primary.rollingRestart().then(
      () => note('rolling restart done'),
      (error) => note(`rolling restart failed: ${messageOf(error)}`)
    )
  }
  process.on('SIGHUP', restart)
  process.on('SIGUSR2', restart)
  // Handlers first, then the URL: whoever reads the URL may signal at once.
  const closed = closeOnSignal(async () => {
    await primary.close()
    await sandbox?.close()
  })
  // Workers that keep failing at start-up stop the service (the primary has drained the others by then).
  const stopped = primary.failed.catch(async (error: unknown) => {
    await sandbox?.close()
    return new CliError(`the service stopped: ${messageOf(error)}`)
  })
  printLine(primary.url)
  note(
    `Ingest service listening on ${primary.url} with ${workers} workers: Segment POST /v1/batch, Amplitude POST ` +
      '/2/httpapi. SIGHUP or SIGUSR2: rolling restart. Ctrl-C / SIGTERM: drain and stop.'
  )
  note(`Mapping preview: ${mappingUrl(primary.url)}`)
  const failure = await Promise.race([closed, stopped])
  process.off('SIGHUP', restart)
  process.off('SIGUSR2', restart)
  if (failure) throw failure
}

export async function runServe(options: ServeOptions): Promise<void> {
  if (cluster.isWorker) return runServeWorker(options)
  const { sources, target } = readSources(options)
  const sandbox = await startSandboxFor(target, options)
  const workers = options.workers ?? availableParallelism()
  if (workers === 0) return runInProcess(options, sources, sandbox)
  return runPrimary(options, workers, sandbox)
}

function trustProxyOption(value: string): TrustProxy {
  try {
    return parseTrustProxy(value)
  } catch (error) {
    throw new InvalidArgumentError(messageOf(error))
  }
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .summary("run the ingest service: Segment's and Amplitude's HTTP APIs in front of Meta")
    .description(
      "Accepts events on Segment's HTTP Tracking API (/v1/batch, /v1/track…, write key as Basic user) and Amplitude's " +
        'HTTP V2 API (/2/httpapi, /batch) and delivers them to Meta. With --sandbox, or with nothing configured at ' +
        'all (no --config, no token), it delivers to an embedded sandbox. A primary process owns the socket and runs ' +
        '--workers processes; a worker that dies is replaced; SIGHUP or SIGUSR2 restarts them one by one; on ' +
        'SIGINT/SIGTERM it drains them and exits 0.'
    )
    .option('--port <port>', 'port to listen on (0 = any free port)', parsePort, 8787)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--config <file>',
      'JSON service config: destination settings plus "writeKeys": […], or { "sources": { "<key>": settings } }'
    )
    .option('--write-key <key>', 'accept events sent with this Segment write key / Amplitude API key')
    .option('--workers <n>', 'worker processes (default: the number of cores; 0 = in this process)', integerIn(0, 256))
    .option(
      '--trust-proxy <hops|addresses>',
      'read X-Forwarded-For from this many proxies, or from these addresses / CIDR ranges (comma-separated)',
      trustProxyOption
    )
    .option(
      '--request-budget-ms <ms>',
      'answer a request retryable when its events are not delivered within this (default 8000)',
      integerIn(100, 600_000)
    )
  addSandboxOption(command).action((options: ServeOptions) => runServe(options))
}
