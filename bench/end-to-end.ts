/**
 * End to end, whole process, start-up included: `meta-pixel send FILE` (the built CLI, dist/cli/index.js) in a child
 * process against the sandbox child, at each size asked (up to 10,000,000) to show memory is flat, and Segment's
 * published Meta destination on the same input, machine and sandbox, so the comparison is a ratio. Figures come
 * from outside the measured process: wall time, getrusage CPU and peak RSS (usage-probe.ts), and the requests the
 * sandbox counted.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { maxEventAgeSeconds } from '../src/lib/contract/meta-constants'
import { orderCompletedEvents, TIMESTAMP_SPREAD_MS } from './events'
import { writeEventsFile } from './events-file'
import { workFloorMicros } from './scenarios'
import type { SandboxChild } from './sandbox-client'
import type { ProcessUsage } from './usage-probe'

// Compiled to bench/.build/bench/: the repository is three levels up.
const ROOT = join(__dirname, '..', '..', '..')
const CLI = join(ROOT, 'dist', 'cli', 'index.js')
/** The benchmark's own install of Segment's package: never a dependency of the product (git-ignored). */
const SEGMENT_DIR = join(ROOT, 'bench', '.segment')
const SEGMENT_PACKAGE = {
  name: 'bench-segment-destination',
  private: true,
  dependencies: { '@segment/action-destinations': '3.497.0' },
  // Without these the package does not install (a fast-uri release and a kinesis client it cannot resolve).
  overrides: { 'fast-uri': '3.1.5', '@aws-sdk/client-kinesis': '3.970.0' }
}

export interface EndToEndOptions {
  sizes: number[]
  segmentEvents: number
  segmentConcurrency: number
  workers?: number
  concurrency?: number
}

export interface RunFigures {
  label: string
  events: number
  delivered: number
  wallMs: number
  cpuUs: number
  maxRssBytes: number
  requests: number
}

/** Installs @segment/action-destinations into bench/.segment the first time (about 118 MB); later runs reuse it. */
export function ensureSegmentInstalled(log: (line: string) => void): string {
  const marker = join(SEGMENT_DIR, 'node_modules', '@segment', 'action-destinations', 'package.json')
  if (existsSync(marker)) return SEGMENT_DIR
  log(`  installing @segment/action-destinations into ${SEGMENT_DIR} (once)…`)
  mkdirSync(SEGMENT_DIR, { recursive: true })
  writeFileSync(join(SEGMENT_DIR, 'package.json'), `${JSON.stringify(SEGMENT_PACKAGE, null, 2)}\n`)
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], {
    cwd: SEGMENT_DIR,
    stdio: 'inherit'
  })
  return SEGMENT_DIR
}

const KEPT_OUTPUT_CHARS = 1024 * 1024

function measuredChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  usageFile: string
): Promise<{ code: number | null; stdout: string; stderr: string; wallMs: number; usage: ProcessUsage }> {
  const probe = join(__dirname, 'usage-probe.js')
  const started = performance.now()
  const child = spawn(process.execPath, ['-r', probe, ...args], {
    env: { ...env, BENCH_USAGE_FILE: usageFile },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  // Only the tail is kept: the summary is the last line, and a 10,000,000-event run may write much to stderr.
  const tail = (kept: string, text: string) => (kept + text).slice(-KEPT_OUTPUT_CHARS)
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout = tail(stdout, text)))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = tail(stderr, text)))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      const wallMs = performance.now() - started
      const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as ProcessUsage
      resolve({ code, stdout, stderr, wallMs, usage })
    })
  })
}

function environment(sandbox: SandboxChild): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('META_')) env[key] = value
  return {
    ...env,
    META_GRAPH_URL: sandbox.url,
    META_ACCESS_TOKEN: 'EAAB-bench-token',
    META_PIXEL_ID: '123456789012345'
  }
}

async function sandboxDelta<T>(sandbox: SandboxChild, work: () => Promise<T>): Promise<{ value: T; requests: number }> {
  const before = await sandbox.stats()
  const value = await work()
  const after = await sandbox.stats()
  return { value, requests: after.requests - before.requests }
}

export async function cliSend(
  sandbox: SandboxChild,
  file: string,
  events: number,
  dir: string,
  options: EndToEndOptions
): Promise<RunFigures> {
  const args = [CLI, 'send', file]
  if (options.workers !== undefined) args.push('--workers', String(options.workers))
  if (options.concurrency !== undefined) args.push('--concurrency', String(options.concurrency))
  const { value: run, requests } = await sandboxDelta(sandbox, () =>
    measuredChild(args, environment(sandbox), join(dir, `usage-cli-${events}.json`))
  )
  if (run.code !== 0) throw new Error(`meta-pixel send exited ${run.code}: ${run.stderr.slice(-2000)}`)
  const summary = JSON.parse(run.stdout.trim().split('\n').pop() as string) as { events: number; delivered: number }
  return {
    label: `meta-pixel send (${events.toLocaleString('en-US')} events)`,
    events: summary.events,
    delivered: summary.delivered,
    wallMs: run.wallMs,
    cpuUs: run.usage.cpuUs,
    maxRssBytes: run.usage.maxRssBytes,
    requests
  }
}

export interface SegmentFigures extends RunFigures {
  /** Refused events by error message (masked: no personal data), most frequent first. */
  errors: [string, number][]
}

export async function segmentSend(
  sandbox: SandboxChild,
  file: string,
  dir: string,
  options: EndToEndOptions
): Promise<SegmentFigures> {
  const segmentDir = ensureSegmentInstalled(() => undefined)
  const child = join(__dirname, 'segment-child.js')
  const args = [child, segmentDir, file, String(options.segmentEvents), String(options.segmentConcurrency), sandbox.url]
  const { value: run, requests } = await sandboxDelta(sandbox, () =>
    measuredChild(args, environment(sandbox), join(dir, 'usage-segment.json'))
  )
  if (run.code !== 0) throw new Error(`the Segment child exited ${run.code}: ${run.stderr.slice(-2000)}`)
  const counts = JSON.parse(run.stdout.trim()) as {
    events: number
    delivered: number
    errors: Record<string, number>
  }
  return {
    label: `Segment purchase2 via onEvent, concurrency ${options.segmentConcurrency}`,
    events: counts.events,
    delivered: counts.delivered,
    errors: Object.entries(counts.errors).sort((a, b) => b[1] - a[1]),
    wallMs: run.wallMs,
    cpuUs: run.usage.cpuUs,
    maxRssBytes: run.usage.maxRssBytes,
    requests
  }
}

/** Meta refuses a request holding a website event older than this. */
const META_WINDOW_MS = maxEventAgeSeconds('website') * 1000

/** Removes the input folder (gigabytes at 10,000,000 events) even when the run is interrupted. */
function removedOnInterrupt(dir: string): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(dir, { recursive: true, force: true })
    process.kill(process.pid, signal)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  return () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

export interface EndToEndResult {
  segment?: SegmentFigures
  ours: RunFigures[]
}

/**
 * Generates each size's input file (streaming, into a temporary folder), runs Segment on the smallest and
 * meta-pixel send on each, and removes every file. The input is one both destinations accept (events.ts
 * segmentAccepted: upper-case currencies, a product_id on every product); the in-process scenarios keep the mix.
 */
export async function runEndToEnd(
  sandbox: SandboxChild,
  options: EndToEndOptions,
  log: (line: string) => void
): Promise<EndToEndResult> {
  ensureSegmentInstalled(log)
  const dir = mkdtempSync(join(tmpdir(), 'meta-pixel-bench-'))
  const stopWatching = removedOnInterrupt(dir)
  const result: EndToEndResult = { ours: [] }
  try {
    for (const size of [...options.sizes].sort((a, b) => a - b)) {
      const file = join(dir, `orders-${size}.jsonl`)
      const generatedAt = Date.now()
      const bytes = await writeEventsFile(file, size, 4242, { segmentAccepted: true, nowMs: generatedAt })
      log(`  generated ${size.toLocaleString('en-US')} events (${(bytes / 1024 / 1024).toFixed(0)} MiB) in ${dir}`)
      if (!result.segment) {
        result.segment = await segmentSend(sandbox, file, dir, options)
        log(`  Segment: ${result.segment.delivered} of ${result.segment.events} delivered`)
      }
      const run = await cliSend(sandbox, file, size, dir, options)
      result.ours.push(run)
      // Every event must have reached the sandbox inside Meta's window; a run this long would need fresher input.
      const oldestAgeMs = Date.now() - generatedAt + TIMESTAMP_SPREAD_MS
      log(
        `  meta-pixel send: ${run.delivered} of ${run.events} delivered in ${(run.wallMs / 1000).toFixed(1)} s; ` +
          `oldest event ${fmtHours(oldestAgeMs)} old at the end (Meta's window: ${fmtHours(META_WINDOW_MS)}` +
          `${oldestAgeMs > META_WINDOW_MS ? ', exceeded: old events are refused' : ''})`
      )
      rmSync(file, { force: true })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    stopWatching()
  }
  return result
}

function fmtHours(ms: number): string {
  return `${(ms / 3600_000).toFixed(1)} h`
}

/** The work floor (scenarios.ts workFloor) on 10,000 events of the e2e input, in the benchmark's process. */
export function endToEndWorkFloor(): Promise<number> {
  return workFloorMicros(orderCompletedEvents(10_000, 4242, Date.now(), { segmentAccepted: true }))
}
