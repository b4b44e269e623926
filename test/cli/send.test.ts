import { readFileSync, writeFileSync } from 'node:fs'
import { startSandbox } from '../../src/sandbox'
import type { Sandbox } from '../../src/sandbox'
import { jsonLines, metaAt, runCli, tempDir, toJsonLines, trackEvent, stopChildren } from './support'

afterEach(stopChildren)

const TOKEN = 'EAAB-cli-test-token-never-printed'
const PIXEL = '123456789012345'
const order = {
  order_id: 'o-1',
  revenue: 25,
  currency: 'USD',
  products: [{ product_id: 'SKU-1', price: 25, quantity: 1 }]
}

function orders(count: number, prefix = 'order') {
  return Array.from({ length: count }, (_, i) => trackEvent('Order Completed', `${prefix}-${i}`, order))
}

let sandbox: Sandbox
let dir: ReturnType<typeof tempDir>
let env: Record<string, string>

beforeEach(async () => {
  sandbox = await startSandbox({ accessTokens: [TOKEN], pixelIds: [PIXEL] })
  dir = tempDir()
  env = metaAt(sandbox.url, { token: TOKEN, pixel: PIXEL })
})
afterEach(async () => {
  await sandbox.close()
  dir.remove()
})

async function sandboxEvents(): Promise<{ received: { event: { event_id: string } }[]; requests: number }> {
  const response = await fetch(`${sandbox.url}/__sandbox/events`)
  return (await response.json()) as { received: { event: { event_id: string } }[]; requests: number }
}

function expectNoToken(...texts: string[]) {
  for (const text of texts) expect(text).not.toContain(TOKEN)
}

describe('meta-pixel send', () => {
  it('delivers 2,500 events of one preset in exactly 3 requests', async () => {
    const file = dir.file('orders.jsonl')
    writeFileSync(file, toJsonLines(orders(2500)))

    const result = await runCli(['send', file], { env })

    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ events: 2500, delivered: 2500, failed: 0, skipped: 0, requests: 3 })
    expect(result.stdout.trim().split('\n')).toHaveLength(1)
    const state = await sandboxEvents()
    expect(state.requests).toBe(3)
    expect(new Set(state.received.map((item) => item.event.event_id)).size).toBe(2500)
    expectNoToken(result.stdout, result.stderr)
  })

  it('META_GRAPH_URL, the override the README documents, names where events go, a trailing slash and all', async () => {
    const file = dir.file('one.jsonl')
    writeFileSync(file, toJsonLines(orders(1)))

    const result = await runCli(['send', file], { env: metaAt(`${sandbox.url}/`, { token: TOKEN, pixel: PIXEL }) })

    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ events: 1, delivered: 1, failed: 0, skipped: 0, requests: 1 })
    expect((await sandboxEvents()).received.map((item) => item.event.event_id)).toEqual(['order-0'])
  })

  it('rides out a rate limit, a 5xx and a dropped connection: every event delivered exactly once', async () => {
    const events = [...orders(20), ...Array.from({ length: 20 }, (_, i) => trackEvent('Lead', `lead-${i}`))]
    const file = dir.file('mixed.jsonl')
    writeFileSync(file, toJsonLines(events))
    const faults = [{ kind: 'rate_limit', code: 613 }, { kind: 'server_error', status: 503 }, { kind: 'drop' }]
    const queued = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', body: JSON.stringify(faults) })
    expect(queued.status).toBe(200)
    const report = dir.file('report.jsonl')

    const result = await runCli(['send', file, '--max-attempts', '4', '--retry-base-ms', '20', '--report', report], {
      env
    })

    expect(result.code).toBe(0)
    // Two batches (one per preset) plus one retry for each of the three faulted requests.
    expect(JSON.parse(result.stdout)).toEqual({ events: 40, delivered: 40, failed: 0, skipped: 0, requests: 5 })
    const state = await sandboxEvents()
    expect(state.requests).toBe(5)
    const ids = state.received.map((item) => item.event.event_id)
    expect(ids).toHaveLength(40)
    expect(new Set(ids)).toEqual(new Set(events.map((event) => event.messageId)))
    const lines = jsonLines(readFileSync(report, 'utf8'))
    expect(lines.map((line) => [line.index, line.status, line.event_id])).toEqual(
      events.map((event, index) => [index, 200, event.messageId])
    )
    expectNoToken(result.stdout, result.stderr, readFileSync(report, 'utf8'))
  })

  it('reports a bad event with its 400, delivers the rest and exits 1', async () => {
    const anonymous = { type: 'track', event: 'Lead', messageId: 'no-identity', properties: {} }
    const input = `${toJsonLines([...orders(3), anonymous])}not json at all\n${JSON.stringify(trackEvent('Video Played', 'v-1'))}\n`
    const file = dir.file('bad.jsonl')
    writeFileSync(file, input)
    const report = dir.file('report.jsonl')

    const result = await runCli(['send', file, '--report', report], { env })

    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual({ events: 6, delivered: 3, failed: 2, skipped: 1, requests: 1 })
    const reportText = readFileSync(report, 'utf8')
    const lines = jsonLines(reportText)
    expect(lines).toHaveLength(6)
    expect(lines.slice(0, 3).map((line) => line.status)).toEqual([200, 200, 200])
    expect(lines[3]).toEqual({ index: 3, status: 400, error: expect.any(String) })
    expect(lines[4]).toEqual({ index: 4, status: 400, error: 'line 5 is not valid JSON' })
    expect(lines[5]).toEqual({ index: 5, skipped: 'no preset matches track "Video Played"' })
    expect((await sandboxEvents()).received.map((item) => item.event.event_id)).toEqual([
      'order-0',
      'order-1',
      'order-2'
    ])
    expectNoToken(result.stdout, result.stderr, reportText)
  })

  it('gives up on an event after --max-attempts and exits 1', async () => {
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify([{ kind: 'server_error', count: 2 }])
    })

    const result = await runCli(['send', '--max-attempts', '2', '--retry-base-ms', '1'], {
      env,
      input: toJsonLines(orders(2))
    })

    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual({ events: 2, delivered: 0, failed: 2, skipped: 0, requests: 2 })
    expect((await sandboxEvents()).received).toEqual([])
  })

  it('never prints the token, even when Meta rejects it', async () => {
    const result = await runCli(['send'], {
      env: { ...env, META_ACCESS_TOKEN: `${TOKEN}-wrong` },
      input: toJsonLines(orders(1))
    })

    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({ delivered: 0, failed: 1 })
    expectNoToken(result.stdout, result.stderr)
  })

  it('without a token, sends to an embedded sandbox and says so on stderr', async () => {
    const result = await runCli(['send', 'examples/segment.jsonl'], { env: {} })

    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/embedded sandbox/)
    expect(result.stderr).toMatch(/http:\/\/127\.0\.0\.1:\d+\//)
    expect(JSON.parse(result.stdout)).toEqual({ events: 10, delivered: 9, failed: 0, skipped: 1, requests: 8 })
    expect(await sandboxEvents()).toMatchObject({ requests: 0 })
  })

  it('exits 2 before sending anything when the report cannot be written', async () => {
    const result = await runCli(['send', '--report', dir.file('missing-dir/report.jsonl')], {
      env,
      input: toJsonLines(orders(1))
    })

    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^meta-pixel: cannot write the report .*report\.jsonl: /)
    expect(result.stdout).toBe('')
    expect(sandbox.requests()).toBe(0)
  })

  it('exits 2 with one line for a config file that is not JSON', async () => {
    const config = dir.file('config.json')
    writeFileSync(config, '{ not json')

    const result = await runCli(['send', '--config', config], { env, input: toJsonLines(orders(1)) })

    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/^meta-pixel: cannot read the config file .*config\.json: /)
    expect(result.stdout).toBe('')
  })
})
