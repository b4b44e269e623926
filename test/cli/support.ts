import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const ROOT = join(__dirname, '..', '..')
export const CLI = join(ROOT, 'dist', 'cli', 'index.js')

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** The child's environment: this process's, without any META_* setting that could leak in from the shell. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('META_')) env[key] = value
  return { ...env, ...extra }
}

/**
 * The child's settings for a Meta stand-in at `graphUrl` (a sandbox, a scripted server). The CLI has no flag for the
 * Graph URL: META_GRAPH_URL, the override the README documents, is how its users point it elsewhere, so the tests
 * do the same, in the child's environment only, never in this process's.
 */
export function metaAt(graphUrl: string, credentials: { token?: string; pixel?: string } = {}): Record<string, string> {
  return {
    META_GRAPH_URL: graphUrl,
    ...(credentials.token !== undefined && { META_ACCESS_TOKEN: credentials.token }),
    ...(credentials.pixel !== undefined && { META_PIXEL_ID: credentials.pixel })
  }
}

const running = new Set<ChildProcessWithoutNullStreams>()

export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: cliEnv(env) })
  running.add(child)
  child.on('exit', () => running.delete(child))
  return child
}

/** For afterEach: a test that failed or timed out must not leave a server running (nor jest waiting for it). */
export function stopChildren(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}

/** Runs the CLI to completion, optionally writing `input` to its stdin. */
export function runCli(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawnCli(args, options.env)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
    if (options.input !== undefined) child.stdin.end(options.input)
    else child.stdin.end()
  })
}

/** A long-running command: resolves with its first stdout line (the URL it prints) once it is listening. */
export function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawnCli(args, env)
  let stdout = ''
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  )
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const newline = stdout.indexOf('\n')
      if (newline >= 0) resolve(stdout.slice(0, newline))
    })
    void exited.then((result) => reject(new Error(`exited ${result.code} before printing: ${result.stderr}`)))
  })
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) }
}

export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

export function tempDir(): { path: string; file: (name: string) => string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'meta-pixel-cli-'))
  return { path, file: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) }
}

export const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'

/** A website Segment track event without a timestamp, with enough customer information for Meta to match. */
export function trackEvent(event: string, messageId: string, properties: Record<string, unknown> = {}) {
  return {
    type: 'track',
    event,
    messageId,
    userId: 'user-42',
    properties,
    context: {
      ip: '203.0.113.7',
      userAgent: USER_AGENT,
      page: { url: 'https://shop.example.com/checkout' },
      traits: { email: 'pat.smith@example.com', phone: '+1 (650) 555-0142' }
    }
  }
}

export function toJsonLines(events: unknown[]): string {
  return events.map((event) => JSON.stringify(event)).join('\n') + '\n'
}
