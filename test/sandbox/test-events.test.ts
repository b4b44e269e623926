import { request } from 'undici'
import { parseOutcomes } from '../../src/sandbox/outcomes'
import { SandboxState } from '../../src/sandbox/state'
import { MAX_VIEW_ROWS, testEventsView } from '../../src/sandbox/test-events'
import { startSandbox, type Sandbox } from '../../src/sandbox'
import { EM_HASH, NOW_MS, PH_HASH, USER_AGENT, validLead, validPurchase, withUserData } from './fixtures'

function stateWith(
  received: { event: Record<string, unknown>; testEventCode?: string; at?: number }[],
  outcomes: unknown[] = []
): SandboxState {
  const state = new SandboxState()
  received.forEach(({ event, testEventCode, at }, index) =>
    state.received.push({ pixelId: '123', testEventCode, receivedAt: at ?? NOW_MS + index, event })
  )
  const parsed = parseOutcomes(JSON.stringify(outcomes), NOW_MS + 100)
  if (typeof parsed === 'string') throw new Error(parsed)
  state.recordOutcomes(parsed)
  return state
}

describe('testEventsView', () => {
  it('gives each received event its times, parameters, labelled customer information, match and dedup status', () => {
    const purchase = validPurchase({ event_time: NOW_MS / 1000 - 60 })
    const view = testEventsView(stateWith([{ event: purchase, testEventCode: 'TEST1' }]))
    expect(view.rows).toHaveLength(1)
    expect(view.rows[0]).toEqual({
      id: 'r0',
      status: 'received',
      receivedAt: '2026-11-22T12:00:00.000Z',
      eventTime: '2026-11-22T11:59:00.000Z',
      eventName: 'Purchase',
      eventId: 'order-1',
      source: 'Server (Conversions API)',
      testEventCode: 'TEST1',
      pixelId: '123',
      partnerAgent: undefined,
      actionSource: 'website',
      url: 'https://shop.example.com/thank-you',
      customData: { currency: 'USD', value: 25, contents: [{ id: 'sku-1', quantity: 1 }] },
      userData: [
        { key: 'em', label: 'Email', hashed: true, values: [EM_HASH] },
        { key: 'ph', label: 'Phone Number', hashed: true, values: [PH_HASH] },
        { key: 'client_ip_address', label: 'Client IP Address', hashed: false, values: ['203.0.113.7'] },
        { key: 'client_user_agent', label: 'Client User Agent', hashed: false, values: [USER_AGENT] }
      ],
      match: {
        score: 8,
        rating: 'Great',
        keys: [
          { key: 'em', weight: 3 },
          { key: 'ph', weight: 3 },
          { key: 'client_ip_address', weight: 1 },
          { key: 'client_user_agent', weight: 1 }
        ],
        missing: ['fbc', 'external_id', 'fbp']
      },
      dedup: { status: 'kept', note: 'Kept: first event with this event_name and event_id' },
      warnings: [],
      request: { data: [purchase], test_event_code: 'TEST1' }
    })
  })

  it('shows an ISO-8601 event_time at the instant Meta reads, offset applied', () => {
    const lead = validLead({ event_time: '2026-11-22T13:59:30.250+02:00' })
    expect(testEventsView(stateWith([{ event: lead }])).rows[0].eventTime).toBe('2026-11-22T11:59:30.000Z')
  })

  it("labels click, browser and app identifiers under Meta's names, and leaves out a key Meta does not read", () => {
    const event = withUserData(validLead(), {
      em: EM_HASH,
      zp: ['a'.repeat(64)],
      fbc: 'fb.1.1700000000000.abc',
      fbp: 'fb.1.1700000000000.123',
      madid: 'ad-1',
      nickname: 'x'
    })
    const labels = testEventsView(stateWith([{ event }])).rows[0].userData?.map(({ key, label }) => [key, label])
    expect(labels).toEqual([
      ['em', 'Email'],
      ['zp', 'Zip Code'],
      ['fbc', 'Click ID (fbc)'],
      ['fbp', 'Browser ID (fbp)'],
      ['madid', 'Mobile Advertiser ID']
    ])
  })

  it('marks a live resend of a test event as kept and a second live one as deduplicated', () => {
    const lead = validLead({ event_id: 'lead-1' })
    const view = testEventsView(stateWith([{ event: lead, testEventCode: 'T' }, { event: lead }, { event: lead }]))
    expect(view.rows.map((row) => [row.id, row.status, row.dedup?.status])).toEqual([
      ['r2', 'deduplicated', 'duplicate'],
      ['r1', 'received', 'kept'],
      ['r0', 'received', 'kept']
    ])
    expect(view.rows[0].dedup?.note).toBe(
      'Duplicate of the event received 2026-11-22T12:00:00.001Z: Meta keeps the first and discards this one'
    )
    expect(view.counts).toEqual({
      received: 2,
      deduplicated: 1,
      refused: 0,
      skipped: 0,
      failed: 0,
      rejectedRequests: 0
    })
  })

  it('lists refused and skipped events the runner reported, with their reasons, and attaches diagnostics', () => {
    const lead = validLead({ event_id: 'lead-1' })
    const view = testEventsView(
      stateWith(
        [{ event: lead }],
        [
          {
            status: 'delivered',
            source: 'segment',
            eventName: 'Lead',
            eventId: 'lead-1',
            diagnostics: [{ field: 'user_data.ph', reason: 'a phone number needs 7 to 15 digits' }]
          },
          {
            status: 'skipped',
            source: 'amplitude',
            inputName: 'Tour Completed',
            inputId: 'amp-1',
            reason: 'no preset'
          },
          { status: 'refused', source: 'segment', inputName: 'Order Completed', httpStatus: 400, reason: 'no currency' }
        ]
      )
    )
    expect(view.rows.map((row) => [row.status, row.eventName, row.reason])).toEqual([
      ['refused', 'Order Completed', 'no currency'],
      ['skipped', 'Tour Completed', 'no preset'],
      ['received', 'Lead', undefined]
    ])
    expect(view.rows[0]).toMatchObject({ httpStatus: 400, source: 'Runner (not sent to Meta) · from Segment' })
    expect(view.rows[1]).toMatchObject({ eventId: 'amp-1', receivedAt: '2026-11-22T12:00:00.100Z' })
    expect(view.rows[2]).toMatchObject({
      source: 'Server (Conversions API) · from Segment',
      warnings: [{ field: 'user_data.ph', reason: 'a phone number needs 7 to 15 digits' }]
    })
    expect(view.counts).toMatchObject({ received: 1, refused: 1, skipped: 1 })
  })

  it('offers the event names and test codes present as filter choices', () => {
    const view = testEventsView(
      stateWith([
        { event: validLead() },
        { event: validPurchase(), testEventCode: 'B' },
        { event: validLead(), testEventCode: 'A' }
      ])
    )
    expect(view.eventNames).toEqual(['Lead', 'Purchase'])
    expect(view.testEventCodes).toEqual(['A', 'B'])
  })

  it(`shows at most ${MAX_VIEW_ROWS} rows, the newest`, () => {
    const events = Array.from({ length: MAX_VIEW_ROWS + 5 }, (_, index) => ({
      event: validLead({ event_id: `e${index}` })
    }))
    const view = testEventsView(stateWith(events))
    expect(view.rows).toHaveLength(MAX_VIEW_ROWS)
    expect(view.rows[0].eventId).toBe(`e${MAX_VIEW_ROWS + 4}`)
    expect(view.counts.received).toBe(MAX_VIEW_ROWS + 5)
  })
})

describe('parseOutcomes', () => {
  it('accepts one outcome or an array, keeping only known fields', () => {
    expect(parseOutcomes('{"status":"skipped","reason":"x","extra":1,"source":"other"}', NOW_MS)).toEqual([
      { status: 'skipped', receivedAt: NOW_MS, reason: 'x' }
    ])
  })

  it.each([
    ['not json', 'Body must be a JSON array of outcomes'],
    ['[1]', 'Outcome 0: must be an object'],
    ['[{"status":"lost"}]', 'Outcome 0: status must be delivered, refused, skipped or failed']
  ])('refuses %s', (body, message) => {
    expect(parseOutcomes(body, NOW_MS)).toBe(message)
  })
})

describe('sandbox page endpoints', () => {
  let sandbox: Sandbox
  beforeEach(async () => {
    sandbox = await startSandbox()
  })
  afterEach(() => sandbox.close())

  async function get(path: string) {
    const res = await request(`${sandbox.url}${path}`)
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() }
  }

  it('records outcomes posted to /__sandbox/outcomes and shows them in /__sandbox/view', async () => {
    const before = JSON.parse((await get('/__sandbox/view')).text)
    const res = await request(`${sandbox.url}/__sandbox/outcomes`, {
      method: 'POST',
      body: JSON.stringify([{ status: 'skipped', inputName: 'Banner Dismissed', reason: 'no preset matches' }])
    })
    expect(res.statusCode).toBe(200)
    expect(await res.body.json()).toEqual({ recorded: 1 })
    const view = JSON.parse((await get('/__sandbox/view')).text)
    expect(view.version).toBeGreaterThan(before.version)
    expect(view.rows).toEqual([expect.objectContaining({ status: 'skipped', eventName: 'Banner Dismissed' })])
  })

  it('answers 400 to a malformed outcome report', async () => {
    const res = await request(`${sandbox.url}/__sandbox/outcomes`, { method: 'POST', body: '{"status":1}' })
    expect(res.statusCode).toBe(400)
    expect(await res.body.json()).toEqual({
      error: { message: 'Outcome 0: status must be delivered, refused, skipped or failed' }
    })
  })

  it('answers the page poll with 204 while nothing changed', async () => {
    const view = JSON.parse((await get('/__sandbox/view')).text)
    expect((await get(`/__sandbox/view?since=${view.version}`)).status).toBe(204)
    sandbox.reset()
    expect((await get(`/__sandbox/view?since=${view.version}`)).status).toBe(200)
  })

  it('serves the page and its files with a policy that allows only its own scripts and styles', async () => {
    const page = await get('/')
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.text).toContain('<script type="module" src="/assets/test-events.js"></script>')
    const script = await get('/assets/test-events.js')
    expect(script.headers['content-type']).toBe('text/javascript; charset=UTF-8')
    expect((await get('/assets/../package.json')).status).toBe(400)
  })
})
