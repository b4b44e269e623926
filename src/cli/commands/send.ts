import { writeFile } from 'node:fs/promises'
import type { Command } from 'commander'
import type { Sandbox } from '../../sandbox'
import { loadRunnerConfig } from '../../runner/config'
import { ingest } from '../../runner/ingest'
import { readConfig } from '../config'
import { pageUrl, startEmbeddedSandbox } from '../embedded-sandbox'
import { DEFAULT_CONCURRENCY } from '../../runner/engine'
import { createEngine } from '../engine'
import { messageOf, redact, UsageError } from '../errors'
import { parseInputs, readInputText, withParseErrors } from '../input'
import { addConfigOption, addSandboxOption, addSourceOption, integerIn } from '../options'
import type { InputOptions } from '../options'
import { note, printLine } from '../output'
import { progressBar } from '../progress'
import { reportLine, summarise } from '../results'

export interface SendOptions extends InputOptions {
  report?: string
  maxAttempts: number
  retryBaseMs: number
  concurrency: number
  sandbox?: boolean
}

async function writeReport(path: string, lines: string[]): Promise<void> {
  try {
    await writeFile(path, redact(lines.map((line) => `${line}\n`).join('')))
  } catch (error) {
    throw new UsageError(`cannot write the report ${path}: ${messageOf(error)}`)
  }
}

export async function runSend(file: string | undefined, options: SendOptions): Promise<void> {
  const { config, target } = readConfig(
    () => loadRunnerConfig({ file: options.config, env: process.env, sandbox: options.sandbox }, 'send'),
    (loaded) => [loaded.config]
  )
  const parsed = parseInputs(await readInputText(file))
  // A report that cannot be written is found out before anything is sent.
  if (options.report) await writeReport(options.report, [])
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
    const engine = createEngine(config, {
      retry: { maxAttempts: options.maxAttempts, baseDelayMs: options.retryBaseMs },
      concurrency: options.concurrency,
      onProgress: (settled, total) => progress.update(settled, total)
    })
    const { results, requests } = await withParseErrors(parsed, (values) => {
      const { inputs, sources } = ingest(values, options.source, { receivedAt: Date.now() })
      return engine.send(inputs, sources)
    })
    progress.stop()
    if (options.report) await writeReport(options.report, results.map(reportLine))
    const summary = summarise(results, requests)
    printLine(JSON.stringify(summary))
    if (summary.failed > 0) process.exitCode = 1
  } finally {
    progress.stop()
    await sandbox?.close()
  }
}

export function registerSend(program: Command): void {
  const command = program
    .command('send')
    .summary("deliver events to Meta's Conversions API (or to the embedded sandbox with --sandbox)")
    .description(
      "Delivers Segment-spec or Amplitude events to Meta's Conversions API in batches of up to 1,000, retrying rate " +
        'limits, 5xx and network failures with exponential backoff and jitter. With --sandbox, or with nothing ' +
        'configured at all (no --config, no token), the events go to an embedded sandbox on 127.0.0.1. Prints one JSON summary line; exits 1 when any event failed for good.'
    )
    .argument('[file]', 'JSON Lines or JSON array of events (default: stdin)')
    .option('--report <file>', 'write one JSON line per input event with its outcome')
    .option('--max-attempts <n>', 'attempts per event, the first included', integerIn(1, 20), 5)
    .option('--retry-base-ms <ms>', 'base delay of the exponential backoff', integerIn(0, 600_000), 500)
    .option('--concurrency <n>', 'parallel requests to Meta', integerIn(1, 64), DEFAULT_CONCURRENCY)
  addSandboxOption(addSourceOption(addConfigOption(command))).action((file: string | undefined, options: SendOptions) =>
    runSend(file, options)
  )
}
