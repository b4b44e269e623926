import { jsonLines, runCli, startCli, stopChildren } from './support'

afterEach(stopChildren)

const URL_LINE = /^http:\/\/127\.0\.0\.1:\d+$/

describe('meta-pixel serve', () => {
  it('starts on the embedded sandbox without a token, answers /health and exits 0 on SIGTERM', async () => {
    const serve = startCli(['serve', '--port', '0', '--write-key', 'test-write-key'])
    try {
      const url = await serve.firstLine
      expect(url).toMatch(URL_LINE)
      const health = await fetch(`${url}/health`)
      expect(health.status).toBe(200)
      expect(await health.json()).toEqual({ status: 'ok' })
      expect(serve.output().stderr).toMatch(/embedded sandbox/)
    } finally {
      serve.child.kill('SIGTERM')
    }
    const result = await serve.exited
    expect(result).toMatchObject({ code: 0, signal: null })
  })

  it('delivers a Segment batch sent with the write key', async () => {
    const serve = startCli(['serve', '--port', '0', '--write-key', 'test-write-key'])
    try {
      const url = await serve.firstLine
      const event = {
        type: 'track',
        event: 'Lead',
        messageId: 'serve-lead-1',
        userId: 'user-9',
        context: {
          userAgent: 'Mozilla/5.0',
          page: { url: 'https://shop.example.com/contact' },
          traits: { email: 'lee@example.com' }
        }
      }
      const response = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from('test-write-key:').toString('base64')}`
        },
        body: JSON.stringify({ batch: [event] })
      })
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ success: true, delivered: 1 })
    } finally {
      serve.child.kill('SIGINT')
    }
    expect((await serve.exited).code).toBe(0)
  })

  it('exits 2 with one line when no key to accept events with is given', async () => {
    const result = await runCli(['serve', '--port', '0'])

    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/^meta-pixel: .*META_WRITE_KEY/)
  })
})

describe('meta-pixel sandbox', () => {
  it('prints its URL, serves the test-events page and stops on SIGTERM', async () => {
    const sandbox = startCli(['sandbox', '--port', '0'])
    try {
      const url = await sandbox.firstLine
      expect(url).toMatch(URL_LINE)
      const page = await fetch(`${url}/`)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-type')).toMatch(/text\/html/)
    } finally {
      sandbox.child.kill('SIGTERM')
    }
    expect(await sandbox.exited).toMatchObject({ code: 0, signal: null })
  })
})

describe('meta-pixel demo', () => {
  it('--exit: sends the examples through the service and delivers every mappable one', async () => {
    const mappable = async (file: string) =>
      jsonLines((await runCli(['map', file])).stdout).filter((line) => 'event' in line).length
    const expected = (await mappable('examples/segment.jsonl')) + (await mappable('examples/amplitude.jsonl'))

    const result = await runCli(['demo', '--exit'])

    expect(result.code).toBe(0)
    const [summaryLine, pageLine, mappingLine, ...rest] = result.stdout.trim().split('\n')
    expect(rest).toEqual([])
    const summary = JSON.parse(summaryLine)
    expect(summary).toMatchObject({ delivered: expected, failed: 0 })
    expect(summary.events).toBe(summary.delivered + summary.skipped)
    expect(summary.skipped).toBe(2)
    expect(pageLine).toMatch(/^Sandbox page: http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(mappingLine).toMatch(
      /^Mapping preview: http:\/\/127\.0\.0\.1:\d+\/mapping \(also http:\/\/127\.0\.0\.1:\d+\/mapping\)$/
    )
  })
})
