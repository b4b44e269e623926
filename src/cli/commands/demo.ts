import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { loadDemoConfig } from '../../runner/config'
import { readAs } from '../../runner/input'
import { startIngestService } from '../../service'
import type { IngestService } from '../../service'
import type { Sandbox } from '../../sandbox'
import { readConfig } from '../config'
import { mappingUrl, pageUrl, startEmbeddedSandbox } from '../embedded-sandbox'
import { CliError, messageOf } from '../errors'
import { readAllInputs } from '../input'
import { addConfigOption, parsePort } from '../options'
import { note, printLine } from '../output'
import type { Summary } from '../results'
import { reportOutcomesTo } from '../sandbox-outcomes'
import { closeOnSignal } from '../signals'

const DEMO_WRITE_KEY = 'demo-write-key'

export interface DemoOptions {
  exit?: boolean
  port: number
  sandboxPort: number
  config?: string
}

/** examples/ of the package: next to dist/ when installed, next to src/ in a checkout. */
export function examplesDir(): string {
  return join(__dirname, '..', '..', '..', 'examples')
}

interface ExampleEvents {
  segment: unknown[]
  amplitude: unknown[]
  /** Lines that are not JSON. */
  unreadable: number
}

async function readExamples(dir: string): Promise<ExampleEvents> {
  let files: string[]
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.jsonl'))
  } catch (error) {
    throw new CliError(`cannot read the examples in ${dir}: ${messageOf(error)}`)
  }
  if (files.length === 0) throw new CliError(`no *.jsonl examples in ${dir}`)
  const examples: ExampleEvents = { segment: [], amplitude: [], unreadable: 0 }
  for (const file of files.sort()) {
    for (const input of await readAllInputs(join(dir, file))) {
      if (!input.ok) examples.unreadable++
      else if (readAs(input.value, 'auto') === 'amplitude') examples.amplitude.push(input.value)
      else examples.segment.push(input.value)
    }
  }
  return examples
}

/** Posts JSON to the service as an SDK does; answers the HTTP status and the parsed body. */
async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body)
  })
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = text
  }
  return { status: response.status, body: parsed as Record<string, unknown> }
}

/** Events refused for good, as the service reports them: Segment's `failed` count, Amplitude's 400. */
async function sendExamples(serviceUrl: string, examples: ExampleEvents): Promise<number> {
  let failed = 0
  if (examples.segment.length > 0) {
    const auth = `Basic ${Buffer.from(`${DEMO_WRITE_KEY}:`).toString('base64')}`
    const reply = await post(`${serviceUrl}/v1/batch`, { batch: examples.segment }, { authorization: auth })
    note(`Segment examples → POST /v1/batch: ${reply.status} ${JSON.stringify(reply.body)}`)
    if (reply.status === 200) failed += Number(reply.body.failed ?? 0)
    else failed += examples.segment.length
  }
  if (examples.amplitude.length > 0) {
    const reply = await post(`${serviceUrl}/2/httpapi`, { api_key: DEMO_WRITE_KEY, events: examples.amplitude })
    note(`Amplitude examples → POST /2/httpapi: ${reply.status} ${JSON.stringify(reply.body)}`)
    if (reply.status !== 200) failed += examples.amplitude.length
  }
  return failed
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const examples = await readExamples(examplesDir())
  // The demo never reaches Meta, whatever token is configured: its events are made up.
  const config = readConfig(
    () => loadDemoConfig({ file: options.config, env: process.env }),
    () => []
  )
  let sandbox: Sandbox | undefined
  let service: IngestService | undefined
  const stop = async () => {
    await service?.close()
    await sandbox?.close()
  }
  try {
    sandbox = await startEmbeddedSandbox(options.sandboxPort)
    service = await startIngestService({
      port: options.port,
      sources: { [DEMO_WRITE_KEY]: config },
      engine: { ...reportOutcomesTo(sandbox), graphUrl: sandbox.url },
      log: (line) => note(`service: ${line}`)
    })
    note(`Embedded sandbox: ${sandbox.url}; ingest service: ${service.url} (write key ${DEMO_WRITE_KEY})`)
    const failed = (await sendExamples(service.url, examples)) + examples.unreadable
    const events = examples.segment.length + examples.amplitude.length + examples.unreadable
    const delivered = sandbox.received().length
    const summary: Summary = {
      events,
      delivered,
      failed,
      skipped: events - delivered - failed,
      requests: sandbox.requests()
    }
    printLine(JSON.stringify(summary))
    printLine(`Sandbox page: ${pageUrl(sandbox)}`)
    printLine(`Mapping preview: ${mappingUrl(sandbox.url)} (also ${mappingUrl(service.url)})`)
    if (failed > 0) process.exitCode = 1
  } catch (error) {
    await stop()
    throw error
  }
  if (options.exit) return stop()
  note(
    'Open the test events page to see what Meta would receive, and the mapping preview to try mappings. Ctrl-C to stop.'
  )
  await closeOnSignal(stop)
}

export function registerDemo(program: Command): void {
  const command = program
    .command('demo')
    .summary('send the examples through the ingest service to the embedded sandbox, then show them')
    .description(
      'Starts the embedded sandbox and the ingest service on 127.0.0.1, sends examples/*.jsonl over HTTP (Segment ' +
        'events to /v1/batch, Amplitude events to /2/httpapi), prints a JSON summary and the sandbox page URL, and ' +
        'keeps serving until Ctrl-C. Nothing is sent to Meta.'
    )
    .option('--exit', 'stop right after the summary instead of serving until Ctrl-C')
    .option('--port <port>', 'ingest service port (0 = any free port)', parsePort, 0)
    .option('--sandbox-port <port>', 'sandbox port (0 = any free port)', parsePort, 0)
  addConfigOption(command).action((options: DemoOptions) => runDemo(options))
}
