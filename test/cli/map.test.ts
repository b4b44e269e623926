import { writeFileSync } from 'node:fs'
import { jsonLines, runCli, tempDir, toJsonLines, trackEvent, USER_AGENT, stopChildren } from './support'

afterEach(stopChildren)

const product = { product_id: 'SKU-1', name: 'Trail shoe', category: 'Shoes', price: 40, quantity: 2, currency: 'USD' }
const order = { order_id: 'o-1', revenue: 80, value: 80, currency: 'USD', products: [product] }

/** One Segment-spec event per preset, and the Meta event each must become. */
const PRESET_CASES: [string, Record<string, unknown>, string][] = [
  ['Products Searched', { query: 'shoes' }, 'Search'],
  ['Product List Viewed', { category: 'Shoes', products: [product] }, 'ViewContent'],
  ['Product Viewed', product, 'ViewContent'],
  ['Product Added', product, 'AddToCart'],
  ['Product Added to Wishlist', product, 'AddToWishlist'],
  ['Checkout Started', order, 'InitiateCheckout'],
  ['Payment Info Entered', order, 'AddPaymentInfo'],
  ['Order Completed', order, 'Purchase'],
  ['Signed Up', { status: 'confirmed' }, 'CompleteRegistration'],
  ['Trial Started', { predicted_ltv: 120, currency: 'USD' }, 'StartTrial'],
  ['Subscription Started', { predicted_ltv: 300, value: 25, currency: 'USD' }, 'Subscribe'],
  ...['Lead', 'Contact', 'Schedule', 'SubmitApplication', 'Donate', 'FindLocation', 'CustomizeProduct'].map(
    (name): [string, Record<string, unknown>, string] => [name, {}, name]
  )
]

const pageEvent = {
  ...trackEvent('ignored', 'msg-page'),
  type: 'page',
  event: undefined,
  name: 'Home'
}

let dir: ReturnType<typeof tempDir>
beforeEach(() => (dir = tempDir()))
afterEach(() => dir.remove())

describe('meta-pixel map', () => {
  it('maps one event per preset to its Meta event, skips an unmapped one and answers 400 for a malformed line', async () => {
    const events = [pageEvent, ...PRESET_CASES.map(([name, properties], i) => trackEvent(name, `msg-${i}`, properties))]
    const input = `${toJsonLines(events)}\n{"type": "track", "event": oops\n${JSON.stringify(trackEvent('Video Played', 'msg-unmapped'))}\n`
    const file = dir.file('events.jsonl')
    writeFileSync(file, input)
    const started = Math.floor(Date.now() / 1000)

    const result = await runCli(['map', file])

    expect(result.stderr).toBe('')
    const lines = jsonLines(result.stdout)
    expect(lines).toHaveLength(events.length + 2)
    lines.forEach((line, index) => expect(line.index).toBe(index))
    const mapped = lines.slice(0, events.length).map((line) => line.event as Record<string, unknown>)
    expect(mapped.map((event) => event?.event_name)).toEqual(['PageView', ...PRESET_CASES.map(([, , meta]) => meta)])
    expect(mapped.map((event) => event.event_id)).toEqual(['msg-page', ...PRESET_CASES.map((_, i) => `msg-${i}`)])
    for (const event of mapped) {
      // No timestamp in the input: the time of reading is used.
      expect(event.event_time).toBeGreaterThanOrEqual(started)
      expect(event.event_time).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000))
      expect((event.user_data as Record<string, unknown>).client_user_agent).toBe(USER_AGENT)
    }
    expect(lines[events.length]).toEqual({
      index: events.length,
      status: 400,
      error: expect.stringContaining('not valid JSON')
    })
    expect(lines[events.length + 1]).toEqual({
      index: events.length + 1,
      skipped: 'no preset matches track "Video Played"'
    })
    expect(result.code).toBe(1)
  })

  it("prints what was left out of an event that still goes as its line's diagnostics, never the values", async () => {
    const idless = trackEvent('Product Added', 'msg-idless', { name: 'Trail shoe', price: 40, quantity: 2 })
    idless.context.traits.phone = '12'
    const file = dir.file('idless.jsonl')
    writeFileSync(file, toJsonLines([idless, trackEvent('Product Added', 'msg-clean', product)]))

    const result = await runCli(['map', file])

    const [withDiagnostics, clean] = jsonLines(result.stdout)
    expect((withDiagnostics.event as Record<string, unknown>).custom_data).toEqual({
      value: 80,
      content_type: 'product',
      content_name: 'Trail shoe'
    })
    expect(withDiagnostics.diagnostics).toEqual([
      { field: 'user_data.ph', reason: 'fewer than 7 digits' },
      { field: 'custom_data.contents[0]', reason: 'no id (product ID or SKU), which Meta requires' }
    ])
    expect(clean.diagnostics).toBeUndefined()
    expect(result.stdout).not.toContain('"12"')
  })

  it('reads JSON Lines from stdin, skipping blank lines, and keeps a timestamp the input carries', async () => {
    const timestamp = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString()
    const input = `\n${JSON.stringify({ ...trackEvent('Lead', 'lead-1'), timestamp })}\n\n${JSON.stringify(trackEvent('Video Played', 'v'))}\n`

    const result = await runCli(['map'], { input })

    expect(result.code).toBe(0)
    const lines = jsonLines(result.stdout)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatchObject({
      index: 0,
      event: { event_name: 'Lead', event_time: Date.parse(timestamp) / 1000 }
    })
    expect(lines[1]).toEqual({ index: 1, skipped: 'no preset matches track "Video Played"' })
  })

  it('reads a JSON array, from a file and from stdin', async () => {
    const array = JSON.stringify([trackEvent('Order Completed', 'o-1', order), trackEvent('Lead', 'l-1')], null, 2)
    const file = dir.file('events.json')
    writeFileSync(file, array)

    for (const result of [await runCli(['map', file]), await runCli(['map', '-'], { input: array })]) {
      expect(result.code).toBe(0)
      expect(jsonLines(result.stdout).map((line) => (line.event as { event_name: string }).event_name)).toEqual([
        'Purchase',
        'Lead'
      ])
    }
  })

  it('maps Amplitude events, stamping the time of reading on those without one', async () => {
    const amplitude = {
      event_type: 'Sign Up',
      user_id: 'user-7',
      insert_id: 'amp-1',
      platform: 'Web',
      user_agent: USER_AGENT,
      event_properties: { '[Amplitude] Page Location': 'https://app.example.com/signup' },
      user_properties: { email: 'kim@example.com' }
    }

    const result = await runCli(['map', '--source', 'amplitude'], { input: JSON.stringify(amplitude) })

    expect(result.code).toBe(0)
    const [line] = jsonLines(result.stdout)
    expect(line).toMatchObject({
      index: 0,
      event: {
        event_name: 'CompleteRegistration',
        event_id: 'amp-1',
        event_source_url: 'https://app.example.com/signup'
      }
    })
    expect(Math.abs((line.event as { event_time: number }).event_time - Date.now() / 1000)).toBeLessThan(60)
  })

  it('maps the shipped examples: every event but the unmapped one', async () => {
    const segment = jsonLines((await runCli(['map', 'examples/segment.jsonl'])).stdout)
    const amplitude = jsonLines((await runCli(['map', 'examples/amplitude.jsonl'])).stdout)

    for (const lines of [segment, amplitude]) {
      expect(lines.filter((line) => 'skipped' in line)).toHaveLength(1)
      expect(lines.filter((line) => 'status' in line)).toEqual([])
    }
    expect(segment.map((line) => (line.event as { event_name?: string } | undefined)?.event_name)).toEqual([
      'PageView',
      'Search',
      'ViewContent',
      'AddToCart',
      'InitiateCheckout',
      'Purchase',
      'CompleteRegistration',
      'Lead',
      'PageView',
      undefined
    ])
  })

  it('fails with exit code 2 and one line for a missing file or a bad flag', async () => {
    const missing = await runCli(['map', dir.file('nope.jsonl')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^meta-pixel: cannot read .*nope\.jsonl: no such file\n$/)

    const badSource = await runCli(['map', '--source', 'mixpanel'], { input: '' })
    expect(badSource.code).toBe(2)
    expect(badSource.stderr).toContain('mixpanel')
    expect(badSource.stderr).not.toContain('\n    at ')
  })
})
