import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { request } from 'undici'
import { jsonLines, runCli, startCli, stopChildren } from '../cli/support'
import { EM_HASH, validLead } from './fixtures'

/**
 * Drives Debian's Chromium against the pages `meta-pixel demo` serves: Test Events and the mapping preview.
 * Chromium is a system package, not an npm dependency: CI must install it, and a machine without it skips this
 * file with a warning unless CI is set.
 */
const CHROMIUM = '/usr/bin/chromium'
const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
const SANDBOX_TOKEN = 'sandbox-access-token'
const SANDBOX_PIXEL = '100000000000001'
const PAGE_TIMEOUT_MS = 20_000

const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false'
const hasChromium = existsSync(CHROMIUM)

if (!hasChromium && !inCi) {
  console.warn(
    `Skipping the browser tests: ${CHROMIUM} is missing. Install Chromium with \`${INSTALL_COMMAND}\` to run them.`
  )
}

if (!hasChromium && inCi) {
  describe('pages in Chromium', () => {
    it('needs Chromium installed in CI', () => {
      throw new Error(`CI is set but ${CHROMIUM} is missing. CI must run: ${INSTALL_COMMAND}`)
    })
  })
}

const describeInBrowser = hasChromium ? describe : describe.skip
jest.setTimeout(90_000)

interface Demo {
  sandboxUrl: string
  serviceUrl: string
  stop(): Promise<void>
}

/** Runs `meta-pixel demo` until Ctrl-C, as a user does; resolves once it printed its page URLs. */
async function startDemo(): Promise<Demo> {
  const demo = startCli(['demo'])
  await demo.firstLine
  const deadline = Date.now() + 30_000
  let match: RegExpExecArray | null = null
  while (!match && Date.now() < deadline) {
    match = /Mapping preview: (\S+)\/mapping \(also (\S+)\/mapping\)/.exec(demo.output().stdout)
    if (!match) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  if (!match) throw new Error(`demo printed no page URLs: ${JSON.stringify(demo.output())}`)
  return {
    sandboxUrl: match[1],
    serviceUrl: match[2],
    stop: async () => {
      demo.child.kill('SIGTERM')
      await demo.exited
    }
  }
}

async function sendToSandbox(url: string, body: Record<string, unknown>): Promise<number> {
  const res = await request(`${url}/v26.0/${SANDBOX_PIXEL}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SANDBOX_TOKEN}` },
    body: JSON.stringify(body)
  })
  await res.body.dump()
  return res.statusCode
}

/** What `meta-pixel map` makes of the examples: the delivered events' IDs and the skipped inputs' reasons. */
async function mappedExamples(): Promise<{ eventIds: string[]; skipped: string[] }> {
  const lines = [
    ...jsonLines((await runCli(['map', 'examples/segment.jsonl'])).stdout),
    ...jsonLines((await runCli(['map', 'examples/amplitude.jsonl'])).stdout)
  ]
  return {
    eventIds: lines.flatMap((line) => ('event' in line ? [(line.event as { event_id: string }).event_id] : [])),
    skipped: lines.flatMap((line) => ('skipped' in line ? [line.skipped as string] : []))
  }
}

async function noHorizontalOverflow(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
}

describeInBrowser('pages served by meta-pixel demo, in Chromium', () => {
  let browser: Browser
  let demo: Demo
  let page: Page

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    demo = await startDemo()
  }, 90_000)

  afterAll(async () => {
    await demo?.stop()
    await browser?.close()
    stopChildren()
  })

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    page.setDefaultTimeout(PAGE_TIMEOUT_MS)
  })

  afterEach(async () => {
    await page?.close()
  })

  describe('Test events', () => {
    it("shows every demo event: the delivered ones with their parameters, the skipped ones with map's reasons", async () => {
      const expected = await mappedExamples()
      await page.goto(demo.sandboxUrl)
      await page.waitForSelector('li.event')
      const received = page.locator('li.event[data-status="received"]')
      const ids = await received.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-event-id')))
      expect([...ids].sort()).toEqual([...expected.eventIds].sort())

      const skipped = page.locator('li.event[data-status="skipped"]')
      expect((await skipped.locator('.reason').allTextContents()).sort()).toEqual([...expected.skipped].sort())
      expect(await skipped.locator('.source').allTextContents()).toEqual(
        expect.arrayContaining([
          'Runner (not sent to Meta) · from Segment',
          'Runner (not sent to Meta) · from Amplitude'
        ])
      )

      const purchase = page.locator('li.event[data-event-id="ajs-example-0006-order-completed"]')
      expect(await purchase.locator('.event-name').textContent()).toBe('Purchase')
      expect(await purchase.locator('.received-at').textContent()).toMatch(
        /^Received \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/
      )
      expect(await purchase.locator('.event-time').textContent()).toMatch(
        /^Event time \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/
      )
      expect(await purchase.locator('.source').textContent()).toBe('Server (Conversions API) · from Segment')
      const parameters = await purchase.locator('.parameters').textContent()
      expect(parameters).toContain('Action sourcewebsite')
      expect(parameters).toContain('URLhttps://shop.example.com/checkout/thank-you')
      expect(parameters).toContain('Value179 USD')
      expect(parameters).toContain('Contents1 item(s)')
      const chips = await purchase.locator('.customer .chip').allTextContents()
      expect(chips).toEqual(
        expect.arrayContaining([
          'EmailSHA-256',
          'Phone NumberSHA-256',
          'CitySHA-256',
          'External IDSHA-256',
          'Client IP Address'
        ])
      )
      expect(await purchase.locator('.dedup .badge').textContent()).toBe('Kept')
      expect(await purchase.locator('.badge.match').textContent()).toMatch(
        /^Match \d+(\.5)?\/10 · (Poor|OK|Good|Great)$/
      )
      expect(await page.locator('#summary').textContent()).toContain(`${expected.eventIds.length} events received`)
      expect(await page.locator('#summary').textContent()).toContain(`${expected.skipped.length} skipped`)
    })

    it('expands a card from the keyboard to show the request JSON, hashes whole', async () => {
      await page.goto(demo.sandboxUrl)
      const card = page.locator('li.event[data-event-id="ajs-example-0007-signed-up"]')
      const toggle = card.locator('button.toggle')
      await toggle.focus()
      await page.keyboard.press('Enter')
      expect(await toggle.getAttribute('aria-expanded')).toBe('true')
      const json = JSON.parse((await card.locator('pre.request-json').textContent()) ?? '')
      expect(json.data[0]).toMatchObject({ event_name: 'CompleteRegistration', event_id: 'ajs-example-0007-signed-up' })
      expect(json.data[0].user_data.em).toEqual([expect.stringMatching(/^[a-f0-9]{64}$/)])
      expect(await card.locator('table.user-data tr[data-key="em"] td').first().textContent()).toBe('Email')
      // Still focused after the page's next poll re-rendered the list.
      await page.waitForTimeout(2000)
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-toggle'))).toBe(
        await toggle.getAttribute('data-toggle')
      )
    })

    it('filters by status and event name', async () => {
      await page.goto(demo.sandboxUrl)
      await page.waitForSelector('li.event')
      await page.selectOption('#filter-status', 'skipped')
      expect(await page.locator('li.event').count()).toBe(2)
      await page.selectOption('#filter-status', '')
      await page.selectOption('#filter-name', 'ViewContent')
      const names = await page.locator('li.event .event-name').allTextContents()
      expect(names.length).toBeGreaterThan(1)
      expect(new Set(names)).toEqual(new Set(['ViewContent']))
    })

    it('updates live without reloading: a test-code event is apart from live ones, a live resend is a duplicate', async () => {
      await page.goto(demo.sandboxUrl)
      await page.waitForSelector('li.event')
      await page.evaluate(() => Object.assign(window, { notReloaded: true }))
      const now = Math.floor(Date.now() / 1000)
      const lead = validLead({ event_time: now, event_id: 'browser-lead-1', user_data: { em: EM_HASH } })
      expect(await sendToSandbox(demo.sandboxUrl, { data: [lead] })).toBe(200)
      expect(await sendToSandbox(demo.sandboxUrl, { data: [lead], test_event_code: 'TEST42' })).toBe(200)
      expect(await sendToSandbox(demo.sandboxUrl, { data: [lead] })).toBe(200)
      const cards = page.locator('li.event[data-event-id="browser-lead-1"]')
      await page.waitForFunction(
        () => document.querySelectorAll('li.event[data-event-id="browser-lead-1"]').length === 3
      )
      expect(
        await cards.evaluateAll((nodes) =>
          nodes.map((n) => [n.getAttribute('data-status'), n.getAttribute('data-test-event-code')])
        )
      ).toEqual([
        ['deduplicated', ''],
        ['received', 'TEST42'],
        ['received', '']
      ])
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
      await page.selectOption('#filter-code', 'TEST42')
      expect(await page.locator('li.event').count()).toBe(1)
    })

    it('shows an event the runner refused through the ingest service, with its reason', async () => {
      await page.goto(demo.sandboxUrl)
      await page.waitForSelector('li.event')
      const order = {
        type: 'track',
        event: 'Order Completed',
        messageId: 'browser-refused-1',
        properties: { order_id: 'o-1' },
        context: { ip: '203.0.113.9', userAgent: 'UA/1.0', page: { url: 'https://shop.example.com/thanks' } }
      }
      const res = await request(`${demo.serviceUrl}/v1/batch`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from('demo-write-key:').toString('base64')}`
        },
        body: JSON.stringify({ batch: [order] })
      })
      expect(await res.body.json()).toMatchObject({ failed: 1 })
      const card = page.locator('li.event[data-event-id="browser-refused-1"]')
      await card.waitFor()
      expect(await card.getAttribute('data-status')).toBe('refused')
      expect(await card.locator('.event-name').textContent()).toBe('Order Completed')
      const map = await runCli(['map'], { input: JSON.stringify({ ...order, timestamp: new Date().toISOString() }) })
      const [line] = jsonLines(map.stdout)
      expect(await card.locator('.reason').textContent()).toBe(line.error)
      expect(await card.locator('.wide .label').first().textContent()).toBe(`Reason (${line.status})`)
    })

    it('is usable at phone width', async () => {
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto(demo.sandboxUrl)
      await page.waitForSelector('li.event')
      expect(await noHorizontalOverflow(page)).toBe(true)
      expect(await page.locator('li.event .event-name').first().isVisible()).toBe(true)
    })
  })

  describe('Mapping preview', () => {
    let dir: string
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'mapping-preview-'))
    })
    afterEach(() => rmSync(dir, { recursive: true, force: true }))

    const previewEvent = async () => JSON.parse((await page.locator('#preview-event').textContent()) ?? 'null')

    it('previews an edited mapping live, and its exported config gives map the same event', async () => {
      await page.goto(`${demo.sandboxUrl}/mapping`)
      await page.waitForFunction(() => document.querySelectorAll('#preset option').length > 0)
      // Picking the Purchase preset picks an example it maps.
      await page.selectOption('#preset', 'Purchase')
      await page.waitForFunction(() => document.querySelector('#preview-event')?.textContent?.includes('"Purchase"'))
      expect((await previewEvent()).custom_data.value).toBe(179)
      expect(await page.locator('#preview-status').textContent()).toContain('Mapped by the preset "Purchase"')

      // A timed sample, so that map in a child process sees the very same input.
      const sample = JSON.parse((await page.locator('#sample').inputValue()) ?? '{}')
      sample.timestamp = new Date(Date.now() - 60_000).toISOString()
      await page.fill('#sample', JSON.stringify(sample, null, 2))
      await page.fill('#field-value', '$.properties.total')
      await page.click('#settings-panel > summary')
      await page.fill('#setting-testEventCode', 'TEST77')
      await page.waitForFunction(
        () =>
          document.querySelector('#preview-event')?.textContent?.includes('193.5') &&
          document.querySelector('#export-config')?.textContent?.includes('TEST77')
      )
      const previewed = await previewEvent()
      expect(previewed).toMatchObject({ event_name: 'Purchase', custom_data: { value: 193.5, currency: 'USD' } })
      expect(await page.locator('#field-value-parsed').textContent()).toBe('→ {"@path":"$.properties.total"}')
      expect(await page.locator('#preview-score').textContent()).toMatch(/^Match /)

      const config = JSON.parse((await page.locator('#export-config').textContent()) ?? '{}')
      expect(config).toEqual({ testEventCode: 'TEST77', mapping: { value: { '@path': '$.properties.total' } } })
      writeFileSync(join(dir, 'config.json'), JSON.stringify(config))
      writeFileSync(join(dir, 'sample.json'), JSON.stringify(sample))
      const mapped = await runCli(['map', '--config', join(dir, 'config.json'), join(dir, 'sample.json')])
      expect(mapped.code).toBe(0)
      expect(jsonLines(mapped.stdout)).toEqual([{ index: 0, event: previewed }])
    })

    it('shows a refusal and its reason', async () => {
      await page.goto(`${demo.sandboxUrl}/mapping`)
      await page.waitForFunction(() => document.querySelectorAll('#preset option').length > 0)
      await page.fill(
        '#sample',
        JSON.stringify({ type: 'track', event: 'Order Completed', messageId: 'x', properties: {} })
      )
      await page.waitForFunction(() =>
        document.querySelector('#preview-status')?.textContent?.startsWith('Refused (400)')
      )
      expect(await page.locator('#preview-event').textContent()).toBe('—')
    })

    it('is served by the ingest service too, and is usable at phone width', async () => {
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto(`${demo.serviceUrl}/mapping`)
      await page.waitForFunction(() => document.querySelector('#preview-event')?.textContent?.includes('event_name'))
      expect(await noHorizontalOverflow(page)).toBe(true)
      // The service has no Test events page: the page drops its link.
      await page.waitForFunction(() => document.querySelector('#nav-test-events') === null)
    })
  })

  it('clears the events', async () => {
    await page.goto(demo.sandboxUrl)
    await page.waitForSelector('li.event[data-status="received"]')
    await page.click('#clear')
    await page.waitForSelector('li.empty')
    expect(await page.locator('li.empty').textContent()).toBe('No events yet.')
  })
})
