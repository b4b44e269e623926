import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { request } from 'undici'
import { startSandbox, type Sandbox } from '../../src/sandbox'
import { EM_HASH, PH_HASH, sha256, validLead, validPurchase } from './fixtures'

/**
 * Drives Debian's Chromium against the sandbox's test-events page. Chromium is a system package, not an npm
 * dependency: CI must install it, and a machine without it skips this file with a warning unless CI is set.
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
const TOKEN = 'EAAGbrowserTestToken'
const PIXEL = '1234567890'
const EXTERNAL_ID_HASH = sha256('user-123')

const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false'
const hasChromium = existsSync(CHROMIUM)

if (!hasChromium && !inCi) {
  console.warn(
    `Skipping the sandbox browser test: ${CHROMIUM} is missing. Install Chromium with \`${INSTALL_COMMAND}\` to run it.`
  )
}

if (!hasChromium && inCi) {
  describe('sandbox test-events page in Chromium', () => {
    it('needs Chromium installed in CI', () => {
      throw new Error(`CI is set but ${CHROMIUM} is missing. CI must run: ${INSTALL_COMMAND}`)
    })
  })
}

const describeInBrowser = hasChromium ? describe : describe.skip

async function send(sandbox: Sandbox, body: Record<string, unknown>): Promise<number> {
  const res = await request(`${sandbox.url}/v26.0/${PIXEL}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body)
  })
  await res.body.dump()
  return res.statusCode
}

/** Row count, retried across the page's own meta-refresh navigations. */
async function waitForEventRows(page: Page, expected: number, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  let count = -1
  while (Date.now() < deadline) {
    count = await page
      .locator('tr.event')
      .count()
      .catch(() => -1)
    if (count === expected) return count
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return count
}

describeInBrowser('sandbox test-events page in Chromium', () => {
  let browser: Browser
  let sandbox: Sandbox
  let page: Page

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
  })

  beforeEach(async () => {
    sandbox = await startSandbox({ accessTokens: [TOKEN] })
    page = await browser.newPage()
  })

  afterEach(async () => {
    await page?.close()
    await sandbox?.close()
  })

  it('shows a row per event with its name, key list and dedup marker, and the rejected request', async () => {
    const now = Math.floor(Date.now() / 1000)
    const purchase = validPurchase({ event_time: now - 30, event_id: 'order-1' })
    const lead = validLead({
      event_time: now - 20,
      event_id: 'lead-1',
      user_data: { external_id: EXTERNAL_ID_HASH, fbp: 'fb.1.1596403881668.1116446470' }
    })
    expect(await send(sandbox, { data: [purchase, lead], test_event_code: 'TEST123' })).toBe(200)
    expect(await send(sandbox, { data: [purchase] })).toBe(200)
    expect(
      await send(sandbox, { data: [validLead({ event_time: now, user_data: { em: 'plain@example.com' } })] })
    ).toBe(400)

    await page.goto(sandbox.url)
    await expect(page.title()).resolves.toContain('Test events')
    expect(await page.locator('tr.event').count()).toBe(3)

    const names = await page.locator('tr.event td.event-name').allTextContents()
    expect(names).toEqual(['Purchase', 'Lead', 'Purchase'])

    const leadRow = page.locator('tr.event[data-event-name="Lead"]')
    expect(await leadRow.locator('.key').allTextContents()).toEqual(['external_id', 'fbp'])
    expect(await leadRow.locator('td.test-event-code').textContent()).toBe('TEST123')
    expect(await leadRow.locator('td.match-quality').textContent()).toBe('3/10')

    const purchaseRows = page.locator('tr.event[data-event-name="Purchase"]')
    expect(await purchaseRows.first().locator('.key').allTextContents()).toEqual([
      'em',
      'ph',
      'client_ip_address',
      'client_user_agent'
    ])
    // Newest first: the resent Purchase is on top and marked as a duplicate of order-1.
    expect(await purchaseRows.first().getAttribute('data-duplicate')).toBe('true')
    expect(await purchaseRows.first().locator('.duplicate').isVisible()).toBe(true)
    expect(await purchaseRows.last().getAttribute('data-duplicate')).toBe('false')

    const rejected = page.locator('tr.rejected')
    expect(await rejected.count()).toBe(1)
    expect(await rejected.locator('td.message').textContent()).toContain(
      "The parameter $['data'][0]['user_data']['em'] isn't hashed"
    )

    const html = await page.content()
    for (const secret of [EM_HASH, PH_HASH, EXTERNAL_ID_HASH, TOKEN, 'plain@example.com']) {
      expect(html).not.toContain(secret)
    }
  })

  it('picks up new events through its auto-refresh', async () => {
    await page.goto(sandbox.url)
    expect(await page.locator('#events tr.empty').count()).toBe(1)
    expect(await send(sandbox, { data: [validLead({ event_time: Math.floor(Date.now() / 1000) })] })).toBe(200)
    expect(await waitForEventRows(page, 1)).toBe(1)
  })
})
