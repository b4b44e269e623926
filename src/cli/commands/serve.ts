import type { Command } from 'commander'
import type { RunnerConfig } from '../../runner/config'
import type { Sandbox } from '../../sandbox'
import { loadServiceSources, startIngestService } from '../../service'
import type { IngestService } from '../../service'
import { pageUrl, SANDBOX_PIXEL_ID, sandboxConfig, startLocalSandbox } from '../embedded-sandbox'
import { CliError, messageOf, registerSecret, UsageError } from '../errors'
import { parsePort } from '../options'
import { note, printLine } from '../output'
import { closeOnSignal } from '../signals'

export interface ServeOptions {
  port: number
  host: string
  config?: string
  writeKey?: string
}

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

function isListenError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL'
}

async function startService(
  options: ServeOptions,
  sources: Record<string, RunnerConfig>,
  graphUrl: string | undefined
): Promise<IngestService> {
  try {
    return await startIngestService({
      host: options.host,
      port: options.port,
      sources,
      log: note,
      engine: { graphUrl }
    })
  } catch (error) {
    if (isListenError(error))
      throw new CliError(`cannot listen on ${options.host}:${options.port}: ${messageOf(error)}`)
    throw new UsageError(messageOf(error))
  }
}

export async function runServe(options: ServeOptions): Promise<void> {
  let { sources } = readSources(options, process.env)
  const configs = [...new Set(Object.values(sources))]
  const withoutToken = configs.filter((config) => !config.settings.accessToken)
  let sandbox: Sandbox | undefined
  if (withoutToken.length > 0) {
    if (withoutToken.length < configs.length) {
      throw new UsageError('some sources have an access token and some do not: give every source one, or none')
    }
    sandbox = await startLocalSandbox()
    // Keys that shared one config keep sharing one (and so one batcher) after the swap.
    const swapped = new Map(configs.map((config) => [config, sandboxConfig(config)]))
    sources = Object.fromEntries(Object.entries(sources).map(([key, config]) => [key, swapped.get(config)!]))
    note('No access token configured: delivering to the embedded sandbox instead of Meta.')
    note(`Sandbox page: ${pageUrl(sandbox)}`)
  }
  let service: IngestService
  try {
    service = await startService(options, sources, sandbox?.url)
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

export function registerServe(program: Command): void {
  program
    .command('serve')
    .summary("run the ingest service: Segment's and Amplitude's HTTP APIs in front of Meta")
    .description(
      "Accepts events on Segment's HTTP Tracking API (/v1/batch, /v1/track…, write key as Basic user) and Amplitude's " +
        'HTTP V2 API (/2/httpapi, /batch) and delivers them to Meta. Without an access token it delivers to an ' +
        'embedded sandbox. Prints its URL; on SIGINT/SIGTERM it finishes pending deliveries and exits 0.'
    )
    .option('--port <port>', 'port to listen on (0 = any free port)', parsePort, 8787)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--config <file>',
      'JSON service config: destination settings plus "writeKeys": […], or { "sources": { "<key>": settings } }'
    )
    .option('--write-key <key>', 'accept events sent with this Segment write key / Amplitude API key')
    .action((options: ServeOptions) => runServe(options))
}
