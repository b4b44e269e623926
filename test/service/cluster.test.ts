import { createInstance } from '@amplitude/analytics-node'
import { Analytics } from '@segment/analytics-node'
import RudderAnalytics from '@rudderstack/rudder-sdk-node'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { runCli, startCli, stopChildren, tempDir } from '../cli/support'
import { ACCESS_TOKEN, amplitudePurchase, orderCompleted, PIXEL_ID } from './support'

// The compiled CLI (jest's global setup builds dist/) in cluster mode, with real SDKs in front of it.
const KEY = 'cluster-write-key-0123456789'

afterEach(() => stopChildren())

interface Served {
  /** The primary's pid: the process the CLI started. */
  pid: number
  url: string
  sandboxUrl: string
  workerPids(): number[]
  stderr(): string
  stop(signal?: NodeJS.Signals): Promise<number | null>
  waitFor(pattern: RegExp): Promise<void>
}

/** Runs the test with a config file for the sandbox and KEY, which it may rewrite while the service runs. */
async function withConfigFile(test: (path: string) => Promise<void>): Promise<void> {
  const dir = tempDir()
  const path = dir.file('config.json')
  writeFileSync(path, JSON.stringify({ pixelId: PIXEL_ID, writeKeys: [KEY] }))
  try {
    await test(path)
  } finally {
    dir.remove()
  }
}

async function serveWithWorkers(workers: number): Promise<Served> {
  const serve = startCli(['serve', '--port', '0', '--workers', String(workers), '--write-key', KEY])
  const url = await serve.firstLine
  const stderr = () => serve.output().stderr
  const sandboxUrl = /Sandbox test events: (\S+?)\/?\n/.exec(stderr())![1]
  return {
    pid: serve.child.pid!,
    url,
    sandboxUrl,
    stderr,
    workerPids: () => [...stderr().matchAll(/worker (\d+) listening/g)].map((match) => Number(match[1])),
    async stop(signal = 'SIGTERM') {
      serve.child.kill(signal)
      return (await serve.exited).code
    },
    waitFor: (pattern) =>
      new Promise((resolve) => {
        const check = () => (pattern.test(stderr()) ? resolve() : undefined)
        serve.child.stderr.on('data', check)
        check()
      })
  }
}

async function deliveredIds(sandboxUrl: string): Promise<Map<string, number>> {
  const response = await request(`${sandboxUrl}/__sandbox/events`)
  const body = (await response.body.json()) as { received: { event: { event_id: string } }[] }
  const counts = new Map<string, number>()
  for (const { event } of body.received) counts.set(event.event_id, (counts.get(event.event_id) ?? 0) + 1)
  return counts
}

function trackParams(messageId: string) {
  const { context, properties, userId } = orderCompleted(messageId) as {
    context: Record<string, string>
    properties: Record<string, string>
    userId: string
  }
  return { userId, event: 'Order Completed', messageId, properties, context }
}

function segmentTrack(analytics: Analytics, messageId: string): void {
  analytics.track(trackParams(messageId))
}

/** Resolves with the error RudderStack's SDK reports for this message once it gave up, or undefined when sent. */
function rudderTrack(analytics: RudderAnalytics, messageId: string): Promise<unknown> {
  return new Promise((resolve) => analytics.track(trackParams(messageId), (error?: unknown) => resolve(error)))
}

async function amplitudeClient(url: string) {
  const client = createInstance()
  await client.init(KEY, { serverUrl: `${url}/2/httpapi`, flushQueueSize: 5, flushIntervalMillis: 20, logLevel: 0 })
    .promise
  return client
}

function amplitudeTrack(client: Awaited<ReturnType<typeof amplitudeClient>>, insertId: string) {
  const { time: _time, ...event } = amplitudePurchase(insertId)
  return client.track({ ...event, event_type: 'Order Completed' } as never).promise
}

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`)

describe('serve --workers: the socket stays open across a worker crash', () => {
  it('delivers every event of Segment, RudderStack and Amplitude SDKs while a worker is killed mid-traffic', async () => {
    const served = await serveWithWorkers(2)
    const segment = new Analytics({ writeKey: KEY, host: served.url, flushAt: 5, flushInterval: 10, maxRetries: 10 })
    const segmentErrors: unknown[] = []
    segment.on('error', (error) => segmentErrors.push(error))
    const rudder = new RudderAnalytics(KEY, {
      dataPlaneUrl: served.url,
      flushAt: 5,
      flushInterval: 10,
      retryCount: 10,
      logLevel: 'error'
    })
    const amplitude = await amplitudeClient(served.url)
    const segmentIds = ids('seg', 60)
    const rudderIds = ids('rudder', 60)
    const amplitudeIds = ids('amp', 20)

    // First half of the traffic; Amplitude's first uploads are answered before the crash. Its SDK drops an upload
    // that gets no HTTP answer at all, which only a request in flight on the dying worker could meet.
    segmentIds.slice(0, 30).forEach((id) => segmentTrack(segment, id))
    const rudderFirst = rudderIds.slice(0, 30).map((id) => rudderTrack(rudder, id))
    const firstAmplitude = await Promise.all(amplitudeIds.slice(0, 10).map((id) => amplitudeTrack(amplitude, id)))

    const [victim] = served.workerPids()
    process.kill(victim, 'SIGKILL')

    // Second half while the worker is dead and being replaced: the other worker answers on the same socket.
    segmentIds.slice(30).forEach((id) => segmentTrack(segment, id))
    const rudderSecond = rudderIds.slice(30).map((id) => rudderTrack(rudder, id))
    const secondAmplitude = await Promise.all(amplitudeIds.slice(10).map((id) => amplitudeTrack(amplitude, id)))
    await segment.closeAndFlush({ timeout: 20_000 })
    const rudderErrors = (await Promise.all([...rudderFirst, ...rudderSecond])).filter(Boolean)
    await served.waitFor(new RegExp(`worker ${victim} died \\(SIGKILL\\); starting a replacement`))

    expect(segmentErrors).toEqual([])
    expect(rudderErrors).toEqual([])
    expect([...firstAmplitude, ...secondAmplitude].map((result) => result.code)).toEqual(Array(20).fill(200))
    const delivered = await deliveredIds(served.sandboxUrl)
    const missing = [...segmentIds, ...rudderIds, ...amplitudeIds].filter((id) => !delivered.has(id))
    expect(missing).toEqual([])
    expect(await served.stop('SIGTERM')).toBe(0)
  }, 120_000)

  it('restarts the workers one by one on SIGHUP, answering throughout, and drains on SIGTERM', async () => {
    const served = await serveWithWorkers(2)
    const amplitude = await amplitudeClient(served.url)
    const before = served.workerPids()
    const amplitudeIds = ids('rolling', 20)
    // Whichever worker answers /metrics reports the sum over all workers, through the primary.
    await Promise.all(ids('pre', 6).map((id) => amplitudeTrack(amplitude, id)))
    const metrics = await (await request(`${served.url}/metrics`)).body.text()
    expect(metrics.split('\n')).toContain('meta_pixel_events_delivered_total{source="amplitude"} 6')

    process.kill(served.pid, 'SIGHUP')
    const results = await Promise.all(amplitudeIds.map((id) => amplitudeTrack(amplitude, id)))
    await served.waitFor(/rolling restart done/)

    expect(results.map((result) => result.code)).toEqual(Array(20).fill(200))
    const after = served.workerPids().filter((pid) => !before.includes(pid))
    expect(after).toHaveLength(2)
    for (const pid of before) expect(served.stderr()).toContain(`worker ${pid} replaced`)
    const delivered = await deliveredIds(served.sandboxUrl)
    expect(amplitudeIds.filter((id) => !delivered.has(id))).toEqual([])
    expect(await served.stop('SIGTERM')).toBe(0)
  }, 120_000)
})

const errorLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('meta-pixel:'))

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('serve --workers: workers that cannot start', () => {
  it('exits 1 with one message naming the cause when the workers cannot listen (the port is taken)', async () => {
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const { port } = holder.address() as AddressInfo
    try {
      const result = await runCli(['serve', '--port', String(port), '--workers', '2', '--write-key', KEY])

      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(errorLines(result.stderr)).toEqual([
        `meta-pixel: the service could not start: cannot listen on 127.0.0.1:${port}: bind EADDRINUSE 127.0.0.1:${port}`
      ])
      expect(result.stderr).not.toMatch(/listening/)
    } finally {
      holder.close()
    }
  }, 60_000)

  it('replaces a dead worker, and stops with exit 1 and the cause when its replacements keep failing', async () => {
    await withConfigFile(async (path) => {
      const serve = startCli(['serve', '--port', '0', '--workers', '2', '--sandbox', '--config', path])
      await serve.firstLine
      const [victim, survivor] = [...serve.output().stderr.matchAll(/worker (\d+) listening/g)].map((m) => Number(m[1]))
      // A deploy breaks the config file while the service runs; a replacement worker reads it again.
      writeFileSync(path, JSON.stringify({ pixelId: PIXEL_ID, access_token: ACCESS_TOKEN, writeKeys: [KEY] }))
      process.kill(victim, 'SIGKILL')
      const result = await serve.exited

      const cause = `unknown key "access_token" in the config file ${path}; did you mean "accessToken"?`
      expect(result.code).toBe(1)
      expect(errorLines(result.stderr)).toEqual([
        `meta-pixel: the service stopped: 5 workers in a row failed at start-up: ${cause}`
      ])
      expect(result.stderr).toContain(`worker ${victim} died (SIGKILL); starting a replacement`)
      const retries = result.stderr.split('\n').filter((line) => line.startsWith('a replacement worker failed'))
      expect(retries).toEqual(
        [100, 200, 400, 800].map((ms) => `a replacement worker failed at start-up (${cause}); trying again in ${ms} ms`)
      )
      expect(result.stderr).not.toContain(ACCESS_TOKEN)
      // The worker that still ran was drained before the primary exited.
      expect(isRunning(survivor)).toBe(false)
    })
  }, 60_000)

  it('keeps the running workers when a rolling restart meets a worker that cannot start', async () => {
    await withConfigFile(async (path) => {
      const serve = startCli(['serve', '--port', '0', '--workers', '2', '--sandbox', '--config', path])
      const url = await serve.firstLine
      writeFileSync(path, '{"pixelId": ')
      serve.child.kill('SIGHUP')
      await new Promise<void>((resolve) => {
        const check = () => (/rolling restart failed/.test(serve.output().stderr) ? resolve() : undefined)
        serve.child.stderr.on('data', check)
        check()
      })

      const health = await request(`${url}/health`)
      expect(health.statusCode).toBe(200)
      await health.body.dump()
      expect(serve.output().stderr).toContain(
        `rolling restart failed: cannot read the config file ${path}: Unexpected end of JSON input`
      )
      serve.child.kill('SIGTERM')
      expect((await serve.exited).code).toBe(0)
    })
  }, 60_000)
})
