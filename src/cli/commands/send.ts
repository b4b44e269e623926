import { open } from 'node:fs/promises'
import type { Command } from 'commander'
import type { Sandbox } from '../../sandbox'
import { loadRunnerConfig } from '../../runner/config'
import { DEFAULT_CONCURRENCY } from '../../runner/engine'
import { addWorkersOption, runBulk } from '../bulk'
import { readConfig } from '../config'
import { pageUrl, startEmbeddedSandbox } from '../embedded-sandbox'
import { messageOf, UsageError } from '../errors'
import { addConfigOption, addSandboxOption, addSourceOption, integerIn } from '../options'
import type { InputOptions } from '../options'
import { LineWriter, note, printLine } from '../output'
import { progressBar } from '../progress'
import { reportLine, Tally } from '../results'

export interface SendOptions extends InputOptions {
  report?: string
  maxAttempts: number
  retryBaseMs: number
  concurrency: number
  workers: number
  sandbox?: boolean
}

// Opened before anything is sent, so a report that cannot be written is found out first.
async function openReport(path: string): Promise<LineWriter> {
  try {
    const handle = await open(path, 'w')
    return new LineWriter(handle.createWriteStream())
  } catch (error) {
    throw new UsageError(`cannot write the report ${path}: ${messageOf(error)}`)
  }
}

export async function runSend(file: string | undefined, options: SendOptions): Promise<void> {
  const { config, target } = readConfig(
    () => loadRunnerConfig({ file: options.config, env: process.env, sandbox: options.sandbox }, 'send'),
    (loaded) => [loaded.config]
  )
  const report = options.report ? await openReport(options.report) : undefined
  let sandbox: Sandbox | undefined
  if (target === 'sandbox') {
    sandbox = await startEmbeddedSandbox()
    note(
      options.sandbox
        ? 'Sending to the embedded sandbox (--sandbox), not to Meta.'
        : 'No Meta target configured: sending to the embedded sandbox instead of Meta.'
    )
    note(`Sandbox page (open while this command runs): ${pageUrl(sandbox)}`)
  }
  const progress = progressBar('Sending')
  try {
    const tally = new Tally()
    const { requests } = await runBulk(
      file,
      config,
      'send',
      {
        source: options.source,
        workers: options.workers,
        concurrency: options.concurrency,
        retry: { maxAttempts: options.maxAttempts, baseDelayMs: options.retryBaseMs },
        graphUrl: sandbox?.url
      },
      {
        onResults: (results) => {
          tally.add(results)
          return report?.write(results.map(reportLine))
        },
        onProgress: (settled, read) => progress.update(settled, read)
      }
    )
    progress.stop()
    await report?.close()
    printLine(JSON.stringify(tally.summary(requests)))
    if (tally.failed > 0) process.exitCode = 1
  } finally {
    progress.stop()
    await sandbox?.close()
  }
}

export function registerSend(program: Command): void {
  const command = program
    .command('send')
    .summary("deliver events to Meta's Conversions API (or to the embedded sandbox when no token is set)")
    .description(
      "Delivers Segment-spec or Amplitude events to Meta's Conversions API in batches of up to 1,000, retrying rate " +
        'limits, 5xx and network failures with exponential backoff and jitter. Input is read as it is consumed and ' +
        'mapped on worker threads. With --sandbox, or with nothing configured at all, the events go to an embedded ' +
        'sandbox on 127.0.0.1. ' +
        'Prints one JSON summary line; exits 1 when any event failed for good.'
    )
    .argument('[file]', 'JSON Lines or JSON array of events (default: stdin)')
    .option('--report <file>', 'write one JSON line per input event with its outcome, in input order')
    .option('--max-attempts <n>', 'attempts per event, the first included', integerIn(1, 20), 5)
    .option('--retry-base-ms <ms>', 'base delay of the exponential backoff', integerIn(0, 600_000), 500)
    .option('--concurrency <n>', 'requests to Meta in flight at once, in total', integerIn(1, 64), DEFAULT_CONCURRENCY)
  addSandboxOption(addWorkersOption(addSourceOption(addConfigOption(command)))).action(
    (file: string | undefined, options: SendOptions) => runSend(file, options)
  )
}
