import cluster from 'node:cluster'
import { availableParallelism } from 'node:os'
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import type { RunnerConfig } from '../../runner/config'
import type { Sandbox } from '../../sandbox'
import { loadServiceSources, startIngestService } from '../../service'
import type { IngestService, ServiceOptions } from '../../service'
import { clusterMetricsText, runWorker, startPrimary } from '../../service/cluster'
import { parseTrustProxy, type TrustProxy } from '../../service/request-ip'
import { pageUrl, SANDBOX_PIXEL_ID, sandboxConfig, startEmbeddedSandbox } from '../embedded-sandbox'
import { CliError, messageOf, registerSecret, UsageError } from '../errors'
import { integerIn, parsePort } from '../options'
import { note, printLine } from '../output'
import { closeOnSignal } from '../signals'

export interface ServeOptions {
  port: number
  host: string
  config?: string
  writeKey?: string
  /** Worker processes; 0 runs the service in this process. Default: the number of cores. */
  workers?: number
  trustProxy?: TrustProxy
  requestBudgetMs?: number
}

/** Set by the primary for its workers: deliver to the sandbox the primary started (META_GRAPH_URL points at it). */
const SANDBOX_ENV = 'META_PIXEL_SERVE_SANDBOX'

/** The service's sources, from --config, --write-key and META_*; without any token, they all use the sandbox. */
function readSources(options: ServeOptions, env: NodeJS.ProcessEnv): { sources: Record<string, RunnerConfig> } {
  const serviceEnv: NodeJS.ProcessEnv = {
    ...env,
    ...(options.writeKey !== undefined && { META_WRITE_KEY: options.writeKey })
  }
  // With neither a config file nor a token this is a trial run against the sandbox, which needs no real pixel.
  if (options.config === undefined && !env.META_ACCESS_TOKEN) serviceEnv.META_PIXEL_ID ||= SANDBOX_PIXEL_ID
  let sources: Record<string, RunnerConfig>
  try {
    sources = loadServiceSources(options.config, serviceEnv)
  } catch (error) {
    throw new UsageError(messageOf(error))
  }
  for (const config of Object.values(sources)) registerSecret(config.settings.accessToken)
  return { sources }
}

/** Whether the sources name no token (sandbox), after refusing a mix of sources with and without one. */
function needsSandbox(sources: Record<string, RunnerConfig>): boolean {
  const configs = [...new Set(Object.values(sources))]
  const withoutToken = configs.filter((config) => !config.settings.accessToken)
  if (withoutToken.length > 0 && withoutToken.length < configs.length) {
    throw new UsageError('some sources have an access token and some do not: give every source one, or none')
  }
  return withoutToken.length > 0
}

function toSandbox(sources: Record<string, RunnerConfig>): Record<string, RunnerConfig> {
  // Keys that shared one config keep sharing one (and so one batcher) after the swap.
  const swapped = new Map([...new Set(Object.values(sources))].map((config) => [config, sandboxConfig(config)]))
  return Object.fromEntries(Object.entries(sources).map(([key, config]) => [key, swapped.get(config)!]))
}

function isListenError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL'
}

async function startService(
  options: ServeOptions,
  sources: Record<string, RunnerConfig>,
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

/** A cluster worker: the same configuration as its primary, read again; it answers until the primary says drain. */
async function runServeWorker(options: ServeOptions): Promise<void> {
  const { sources } = readSources(options, process.env)
  const service = await startService(options, process.env[SANDBOX_ENV] ? toSandbox(sources) : sources, {
    metricsText: clusterMetricsText
  })
  const code = await runWorker(service, note)
  // Everything is answered; keep-alive sockets to Meta must not hold the worker open.
  process.exit(code)
}

async function startSandboxFor(sources: Record<string, RunnerConfig>): Promise<Sandbox | undefined> {
  if (!needsSandbox(sources)) return undefined
  const sandbox = await startEmbeddedSandbox()
  note('No access token configured: delivering to the embedded sandbox instead of Meta.')
  note(`Sandbox page: ${pageUrl(sandbox)}`)
  return sandbox
}

/** --workers 0: the service in this process, as before the cluster existed. */
async function runInProcess(options: ServeOptions, sources: Record<string, RunnerConfig>, sandbox?: Sandbox) {
  let service: IngestService
  try {
    service = await startService(options, sandbox ? toSandbox(sources) : sources)
  } catch (error) {
    await sandbox?.close()
    throw error
  }
  printLine(service.url)
  note(`Ingest service listening on ${service.url}: Segment POST /v1/batch, Amplitude POST /2/httpapi. Ctrl-C to stop.`)
  await closeOnSignal(async () => {
    await service.close()
    await sandbox?.close()
  })
}

async function runPrimary(options: ServeOptions, workers: number, sandbox?: Sandbox): Promise<void> {
  if (sandbox) process.env[SANDBOX_ENV] = '1'
  let primary: Awaited<ReturnType<typeof startPrimary>>
  try {
    primary = await startPrimary({ workers, log: note })
  } catch (error) {
    await sandbox?.close()
    throw new CliError(`the service could not start: ${messageOf(error)} (see the worker's message above)`)
  }
  printLine(primary.url)
  note(
    `Ingest service listening on ${primary.url} with ${workers} workers: Segment POST /v1/batch, Amplitude POST ` +
      '/2/httpapi. SIGHUP or SIGUSR2: rolling restart. Ctrl-C / SIGTERM: drain and stop.'
  )
  const restart = (signal: NodeJS.Signals) => {
    note(`${signal}: rolling restart of the workers…`)
    primary.rollingRestart().then(
      () => note('rolling restart done'),
      (error) => note(`rolling restart failed: ${messageOf(error)}`)
    )
  }
  process.on('SIGHUP', restart)
  process.on('SIGUSR2', restart)
  await closeOnSignal(async () => {
    await primary.close()
    await sandbox?.close()
  })
  process.off('SIGHUP', restart)
  process.off('SIGUSR2', restart)
}

export async function runServe(options: ServeOptions): Promise<void> {
  if (cluster.isWorker) return runServeWorker(options)
  const { sources } = readSources(options, process.env)
  const sandbox = await startSandboxFor(sources)
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
  program
    .command('serve')
    .summary("run the ingest service: Segment's and Amplitude's HTTP APIs in front of Meta")
    .description(
      "Accepts events on Segment's HTTP Tracking API (/v1/batch, /v1/track…, write key as Basic user) and Amplitude's " +
        'HTTP V2 API (/2/httpapi, /batch) and delivers them to Meta. Without an access token it delivers to an ' +
        'embedded sandbox. A primary process owns the socket and runs --workers processes; a worker that dies is ' +
        'replaced; SIGHUP or SIGUSR2 restarts them one by one; on SIGINT/SIGTERM it drains them and exits 0.'
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
    .action((options: ServeOptions) => runServe(options))
}
