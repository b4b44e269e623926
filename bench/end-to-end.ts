/**
 * End to end, whole process, start-up included: `meta-pixel send FILE` (the built CLI, dist/cli/index.js) in a child
 * process against the sandbox child, at two sizes to show memory is flat, and Segment's published Meta destination
 * on the same file, machine and sandbox, so the comparison is a ratio. Figures come from outside the measured
 * process: wall time, getrusage CPU and peak RSS (usage-probe.ts), and the requests the sandbox counted.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeEventsFile } from './events-file'
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
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
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
  if (run.code !== 0) throw new Error(`meta-pixel send exited ${run.code}: ${run.stderr.slice(0, 2000)}`)
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

export async function segmentSend(
  sandbox: SandboxChild,
  file: string,
  dir: string,
  options: EndToEndOptions
): Promise<RunFigures & { firstError: string }> {
  const segmentDir = ensureSegmentInstalled(() => undefined)
  const child = join(__dirname, 'segment-child.js')
  const args = [child, segmentDir, file, String(options.segmentEvents), String(options.segmentConcurrency), sandbox.url]
  const { value: run, requests } = await sandboxDelta(sandbox, () =>
    measuredChild(args, environment(sandbox), join(dir, 'usage-segment.json'))
  )
  if (run.code !== 0) throw new Error(`the Segment child exited ${run.code}: ${run.stderr.slice(0, 2000)}`)
  const counts = JSON.parse(run.stdout.trim()) as { events: number; delivered: number; firstError: string }
  return {
    label: `Segment purchase2 via onEvent, concurrency ${options.segmentConcurrency}`,
    events: counts.events,
    delivered: counts.delivered,
    firstError: counts.firstError,
    wallMs: run.wallMs,
    cpuUs: run.usage.cpuUs,
    maxRssBytes: run.usage.maxRssBytes,
    requests
  }
}

/** Generates the input files into a temporary folder, runs every size and Segment, and removes the files. */
export async function runEndToEnd(
  sandbox: SandboxChild,
  options: EndToEndOptions,
  log: (line: string) => void
): Promise<RunFigures[]> {
  ensureSegmentInstalled(log)
  const dir = mkdtempSync(join(tmpdir(), 'meta-pixel-bench-'))
  const figures: RunFigures[] = []
  try {
    for (const size of [...options.sizes].sort((a, b) => a - b)) {
      const file = join(dir, `orders-${size}.jsonl`)
      const bytes = await writeEventsFile(file, size, 4242)
      log(`  generated ${size.toLocaleString('en-US')} events (${(bytes / 1024 / 1024).toFixed(0)} MiB) in ${dir}`)
      if (figures.length === 0) {
        const segment = await segmentSend(sandbox, file, dir, options)
        if (segment.firstError) log(`  Segment's first error: ${segment.firstError}`)
        figures.push(segment)
      }
      figures.push(await cliSend(sandbox, file, size, dir, options))
      rmSync(file, { force: true })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return figures
}
