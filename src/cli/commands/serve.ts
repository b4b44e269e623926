import type { Command } from 'commander'
import { loadServiceSources } from '../../runner/config'
import type { RunnerConfig } from '../../runner/config'
import type { Sandbox } from '../../sandbox'
import { startIngestService } from '../../service'
import type { IngestService } from '../../service'
import { readConfig } from '../config'
import { mappingUrl, pageUrl, startEmbeddedSandbox } from '../embedded-sandbox'
import { CliError, messageOf, UsageError } from '../errors'
import { addSandboxOption, parsePort } from '../options'
import { note, printLine } from '../output'
import { reportOutcomesTo } from '../sandbox-outcomes'
import { closeOnSignal } from '../signals'

export interface ServeOptions {
  port: number
  host: string
  config?: string
  writeKey?: string
  sandbox?: boolean
}

function isListenError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL'
}

async function startService(
  options: ServeOptions,
  sources: Record<string, RunnerConfig>,
  sandbox: Sandbox | undefined
): Promise<IngestService> {
  try {
    return await startIngestService({
      host: options.host,
      port: options.port,
      sources,
      // With the embedded sandbox as target, its page also shows the events the runner refused or skipped.
      ...(sandbox && { engine: reportOutcomesTo(sandbox) }),
      log: note
    })
  } catch (error) {
    if (isListenError(error))
      throw new CliError(`cannot listen on ${options.host}:${options.port}: ${messageOf(error)}`)
    throw new UsageError(messageOf(error))
  }
}

export async function runServe(options: ServeOptions): Promise<void> {
  // A misconfigured service refuses to start (exit 2, the reason on stderr) rather than answer SDKs with a 200.
  const { sources, target } = readConfig(
    () =>
      loadServiceSources({
        file: options.config,
        env: process.env,
        sandbox: options.sandbox,
        writeKeys: options.writeKey === undefined ? [] : [options.writeKey]
      }),
    (loaded) => Object.values(loaded.sources)
  )
  let sandbox: Sandbox | undefined
  if (target === 'sandbox') {
    sandbox = await startEmbeddedSandbox()
    note(
      options.sandbox
        ? 'Delivering to the embedded sandbox (--sandbox), not to Meta.'
        : 'No Meta target configured: delivering to the embedded sandbox instead of Meta.'
    )
    note(`Sandbox test events: ${pageUrl(sandbox)}`)
  }
  let service: IngestService
  try {
    service = await startService(options, sources, sandbox)
  } catch (error) {
    await sandbox?.close()
    throw error
  }
  printLine(service.url)
  note(`Ingest service listening on ${service.url}: Segment POST /v1/batch, Amplitude POST /2/httpapi. Ctrl-C to stop.`)
  note(`Mapping preview: ${mappingUrl(service.url)}`)
  await closeOnSignal(async () => {
    await service.close()
    await sandbox?.close()
  })
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .summary("run the ingest service: Segment's and Amplitude's HTTP APIs in front of Meta")
    .description(
      "Accepts events on Segment's HTTP Tracking API (/v1/batch, /v1/track…, write key as Basic user) and Amplitude's " +
        'HTTP V2 API (/2/httpapi, /batch) and delivers them to Meta. With --sandbox, or with nothing configured at ' +
        'all (no --config, no token), it delivers to an embedded sandbox. Prints its URL; on SIGINT/SIGTERM it finishes pending deliveries and exits 0.'
    )
    .option('--port <port>', 'port to listen on (0 = any free port)', parsePort, 8787)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--config <file>',
      'JSON service config: destination settings plus "writeKeys": […], or { "sources": { "<key>": settings } }'
    )
    .option('--write-key <key>', 'accept events sent with this Segment write key / Amplitude API key')
  addSandboxOption(command).action((options: ServeOptions) => runServe(options))
}
