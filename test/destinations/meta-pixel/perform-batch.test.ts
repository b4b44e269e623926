/**
 * performBatch driven as a host drives it (actions-core's executeBatch / Destination.onBatch) against a
 * nock'd Graph API: 1,000 events a request, one result per event in the original order, events refused by
 * our own checks or by actions-core's schema answered at their own index, and bad events isolated either
 * by the element Meta names (`$['data'][i]`) or by splitting, within `isolationBudget`.
 * Meta's error classes, one by one, are in perform-batch-errors.test.ts.
 */
import fc from 'fast-check'
import nock from 'nock'
import { createTestIntegration, Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../../../src'
import { path } from '../../../src/destinations/meta-pixel/sendEvent/directives'
import { presetMapping, presets } from '../../../src/destinations/meta-pixel/presets'
import { isolationBudget } from '../../../src/lib/delivery'
import {
  ACCESS_TOKEN,
  EVENTS_PATH,
  GRAPH,
  invalidParameterBody,
  NOW_MS,
  referenceOrderCompleted,
  SAFARI_UA,
  settings
} from '../../helpers'

/** One entry of the multistatus array executeBatch returns (actions-core does not export its type). */
interface Result {
  status: number
  errormessage?: string
  errortype?: string
  errorreporter?: string
  sent?: { event_id?: string; event_name?: string }
  body?: Record<string, unknown>
}

interface SentEvent {
  event_id: string
  event_name: string
}

interface MetaRequest {
  uri: string
  authorization?: string
  body: { data: SentEvent[]; test_event_code?: string; partner_agent?: string }
}

type Reply =
  [number, string | Record<string, unknown>] | [number, string | Record<string, unknown>, Record<string, string>]

/** The Purchase preset's mapping, as a host subscribed to the preset runs it. */
const purchaseMapping = presets.find((preset) => preset.name === 'Purchase')?.mapping as JSONObject

/**
 * The same Purchase mapping with only the customer keys volume tests need: mapping-kit spends about a
 * millisecond per event on the preset's full user_data and app_data, which would make 2,500 events slow.
 */
const volumeMapping = presetMapping('Purchase', {
  app_data: undefined,
  value: path('$.properties.revenue'),
  content_type: 'product',
  user_data: {
    external_id: path('$.userId'),
    client_ip_address: path('$.context.ip'),
    client_user_agent: path('$.context.userAgent'),
    fbp: path('$.properties.fbp')
  }
})

/** A small Order Completed whose messageId (hence event_id) is `evt-<i>`; valid under volumeMapping. */
function purchase(i: number): SegmentEvent {
  return {
    type: 'track',
    event: 'Order Completed',
    timestamp: '2026-11-20T14:03:12.345Z',
    messageId: `evt-${i}`,
    userId: `user-${i}`,
    context: { ip: '203.0.113.7', userAgent: SAFARI_UA, page: { url: 'https://shop.example.com/thank-you' } },
    properties: {
      fbp: 'fb.1.1596403881668.1116446470',
      revenue: 25,
      currency: 'usd',
      products: [{ product_id: 'sku-1', quantity: 1, price: 25 }]
    }
  }
}

/** The §12 reference Order Completed with its own messageId `evt-<i>`, for the full preset mapping. */
function referencePurchase(i: number): SegmentEvent {
  return { ...referenceOrderCompleted(), messageId: `evt-${i}` }
}

function purchases(count: number): SegmentEvent[] {
  return Array.from({ length: count }, (_, i) => purchase(i))
}

const ids = (request: MetaRequest) => request.body.data.map((event) => event.event_id)
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, offset) => `evt-${from + offset}`)
const failedIndices = (results: Result[]) => results.flatMap((result, index) => (result.status === 200 ? [] : [index]))

function acceptAll(body: MetaRequest['body'], n: number): Reply {
  return [200, { events_received: body.data.length, messages: [], fbtrace_id: `trace-${n}` }]
}

/** Meta's 400 for bad data; `index` names the element the way Meta does, or nobody when undefined. */
function invalidParameter(index: number | undefined, n: number): Reply {
  const where =
    index === undefined ? 'An event in this request' : `The parameter $['data'][${index}]['user_data']['ct']`
  return [
    400,
    invalidParameterBody(`${where} isn't hashed.`, {
      error_subcode: 2804016,
      is_transient: false,
      error_user_title: 'Parameter Not Hashed',
      fbtrace_id: `trace-${n}`
    })
  ]
}

let requests: MetaRequest[] = []
let allResults: Result[] = []

/** A fake `POST /{version}/{pixel}/events` recording every request, whatever its path, and answering with respond. */
function graphEndpoint(respond: (body: MetaRequest['body'], n: number) => Reply = acceptAll): void {
  nock(GRAPH)
    .persist()
    .post(() => true)
    .reply(function (uri, body) {
      const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as MetaRequest['body']
      requests.push({ uri, authorization: this.req.headers.authorization, body: parsed })
      return respond(parsed, requests.length)
    })
}

async function executeBatch(
  events: SegmentEvent[],
  options: { mapping?: JSONObject; settings?: Record<string, unknown> } = {}
): Promise<Result[]> {
  const results = await createTestIntegration(definition).executeBatch('sendEvent', {
    events,
    mapping: options.mapping ?? volumeMapping,
    settings: (options.settings ?? settings) as never
  })
  allResults.push(...(results as Result[]))
  return results as Result[]
}

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW_MS)
  nock.disableNetConnect()
  requests = []
  allResults = []
})

afterEach(() => {
  // Whatever a test did, the token travels only in the Authorization header.
  for (const request of requests) {
    expect(request.uri).toBe(EVENTS_PATH)
    expect(request.authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
    expect(JSON.stringify(request.body)).not.toContain(ACCESS_TOKEN)
  }
  const reported = JSON.stringify(allResults)
  expect(reported).not.toContain(ACCESS_TOKEN)
  expect(reported).not.toContain(encodeURIComponent(ACCESS_TOKEN))
  nock.abortPendingRequests()
  nock.cleanAll()
  jest.restoreAllMocks()
})

describe('chunking', () => {
  it('sends 2,500 valid events as 1000/1000/500 and answers 2,500 successes in the original order', async () => {
    graphEndpoint()

    const results = await executeBatch(purchases(2500))

    // Two requests run concurrently, so their order of arrival is not part of the contract; their contents are.
    const byFirstEvent = [...requests].sort((a, b) => ids(a)[0].localeCompare(ids(b)[0], 'en', { numeric: true }))
    expect(byFirstEvent.map((request) => request.body.data.length)).toEqual([1000, 1000, 500])
    expect(byFirstEvent.map(ids)).toEqual([range(0, 1000), range(1000, 2000), range(2000, 2500)])
    for (const request of requests) expect(request.body.partner_agent).toBe(settings.partnerAgent)
    expect(results).toHaveLength(2500)
    results.forEach((result, i) => {
      expect(result.status).toBe(200)
      expect(result.sent?.event_id).toBe(`evt-${i}`)
      expect(result.body).toEqual({ fbtrace_id: expect.stringMatching(/^trace-[123]$/) })
    })
  })

  it('uses the batch_size of the mapping: 600 events in requests of 250/250/100', async () => {
    graphEndpoint()

    const results = await executeBatch(purchases(600), { mapping: { ...volumeMapping, batch_size: 250 } })

    expect(requests.map((request) => request.body.data.length).sort((a, b) => b - a)).toEqual([250, 250, 100])
    expect(requests.flatMap(ids).sort()).toEqual(range(0, 600).sort())
    expect(results.map((result) => result.status)).toEqual(Array(600).fill(200))
  })

  it('sends events whose test_event_code differs in separate requests, each carrying its code', async () => {
    graphEndpoint()
    const codes = ['TEST111', 'TEST222', null]
    const events = Array.from({ length: 9 }, (_, i): SegmentEvent => {
      const event = referencePurchase(i)
      return { ...event, properties: { ...event.properties, test_code: codes[i % 3] } }
    })
    const mapping = { ...purchaseMapping, test_event_code: { '@path': '$.properties.test_code' } }

    // Events without a code of their own fall back to the setting.
    const results = await executeBatch(events, { mapping, settings: { ...settings, testEventCode: 'TEST000' } })

    const byCode = Object.fromEntries(requests.map((request) => [request.body.test_event_code, ids(request)]))
    expect(requests).toHaveLength(3)
    expect(byCode).toEqual({
      TEST111: ['evt-0', 'evt-3', 'evt-6'],
      TEST222: ['evt-1', 'evt-4', 'evt-7'],
      TEST000: ['evt-2', 'evt-5', 'evt-8']
    })
    results.forEach((result, i) => expect(result.sent?.event_id).toBe(`evt-${i}`))
  })

  it('sends no test_event_code at all when neither the event nor the settings have one', async () => {
    graphEndpoint()

    await executeBatch(purchases(3))

    expect(requests).toHaveLength(1)
    expect(requests[0].body).not.toHaveProperty('test_event_code')
  })
})

describe('events refused before any request', () => {
  it('sends an event whose only product has no id without contents, with a diagnostic on its result', async () => {
    graphEndpoint()
    const events = purchases(3)
    events[1] = { ...purchase(1), properties: { ...purchase(1).properties, products: [{ quantity: 2, price: 3 }] } }

    const results = await executeBatch(events)

    expect(requests).toHaveLength(1)
    expect(ids(requests[0])).toEqual(['evt-0', 'evt-1', 'evt-2'])
    const sent = requests[0].body.data[1] as unknown as { custom_data: Record<string, unknown> }
    expect(sent.custom_data.contents).toBeUndefined()
    expect(sent.custom_data.content_ids).toBeUndefined()
    expect(sent.custom_data.num_items).toBe(2)
    expect(results[1]).toMatchObject({
      status: 200,
      body: {
        diagnostics: [{ field: 'custom_data.contents[0]', reason: 'no id (product ID or SKU), which Meta requires' }]
      }
    })
    expect((results[0] as { body: Record<string, unknown> }).body.diagnostics).toBeUndefined()
  })

  it('answers 3 events that break our own rules with a 400 at their index and sends the other 997 in one request', async () => {
    graphEndpoint()
    const events = purchases(1000)
    const withoutCurrency = purchase(10)
    delete (withoutCurrency.properties as Record<string, unknown>).currency
    events[10] = withoutCurrency
    events[500] = { ...purchase(500), properties: { ...purchase(500).properties, currency: 'zzz' } }
    events[999] = { ...purchase(999), context: { ...purchase(999).context, userAgent: undefined } }

    const results = await executeBatch(events)

    expect(requests).toHaveLength(1)
    expect(requests[0].body.data).toHaveLength(997)
    expect(ids(requests[0])).toEqual(range(0, 1000).filter((id) => !['evt-10', 'evt-500', 'evt-999'].includes(id)))
    expect(results).toHaveLength(1000)
    expect(failedIndices(results)).toEqual([10, 500, 999])
    for (const i of [10, 500, 999]) {
      expect(results[i]).toMatchObject({ status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED' })
    }
    expect(results[10].errormessage).toBe('Purchase events need a currency (or set a default currency)')
    expect(results[500].errormessage).toBe('currency "zzz" is not an ISO-4217 code')
    expect(results[999].errormessage).toBe('website events need the client user agent (client_user_agent)')
    results.forEach((result, i) => {
      if (![10, 500, 999].includes(i)) expect(result).toMatchObject({ status: 200, sent: { event_id: `evt-${i}` } })
    })
  })

  it("answers an event failing actions-core's schema (no event_name) at its own index, through Destination.onBatch", async () => {
    graphEndpoint()
    const events = Array.from({ length: 5 }, (_, i): SegmentEvent => ({ ...referencePurchase(i), event: 'Purchase' }))
    events[2] = { ...events[2], event: undefined }
    const subscription = {
      name: 'Purchase by name',
      subscribe: 'type = "track"',
      partnerAction: 'sendEvent',
      mapping: { ...purchaseMapping, event_name: { '@path': '$.event' } }
    }

    const [{ multistatus }] = await new Destination(definition).onBatch(events, { ...settings, subscription })
    const results = multistatus as Result[]
    allResults.push(...results)

    expect(requests).toHaveLength(1)
    expect(ids(requests[0])).toEqual(['evt-0', 'evt-1', 'evt-3', 'evt-4'])
    expect(results.map((result) => result.status)).toEqual([200, 200, 400, 200, 200])
    expect(results[2]).toMatchObject({ errortype: 'PAYLOAD_VALIDATION_FAILED' })
    expect(results[2].errormessage).toContain('event_name')
    expect(results.map((result) => result.sent?.event_id)).toEqual(['evt-0', 'evt-1', undefined, 'evt-3', 'evt-4'])
  })

  it('sends every event; a delivery_category or content_type outside its values is left out with a diagnostic', async () => {
    graphEndpoint()
    const events = purchases(5).map((event, i) => ({
      ...event,
      properties: {
        ...event.properties,
        delivery: i === 1 ? 'drone' : 'curbside',
        kind: i === 3 ? 'sku' : 'product_group'
      }
    }))
    const mapping = {
      ...volumeMapping,
      delivery_category: { '@path': '$.properties.delivery' },
      content_type: { '@path': '$.properties.kind' }
    }

    const results = await executeBatch(events, { mapping })

    const common = {
      value: 25,
      currency: 'USD',
      contents: [{ id: 'sku-1', quantity: 1, item_price: 25 }],
      content_ids: ['sku-1'],
      num_items: 1
    }
    expect(requests).toHaveLength(1)
    expect(ids(requests[0])).toEqual(['evt-0', 'evt-1', 'evt-2', 'evt-3', 'evt-4'])
    expect(requests[0].body.data.map((event) => (event as unknown as { custom_data: unknown }).custom_data)).toEqual([
      { ...common, content_type: 'product_group', delivery_category: 'curbside' },
      { ...common, content_type: 'product_group' },
      { ...common, content_type: 'product_group', delivery_category: 'curbside' },
      { ...common, delivery_category: 'curbside' },
      { ...common, content_type: 'product_group', delivery_category: 'curbside' }
    ])
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200])
    expect(results.map((result) => (result.body as { diagnostics?: unknown }).diagnostics)).toEqual([
      undefined,
      [{ field: 'custom_data.delivery_category', reason: 'not one of in_store, curbside, home_delivery' }],
      undefined,
      [{ field: 'custom_data.content_type', reason: 'not one of product, product_group' }],
      undefined
    ])
  })

  it.each([
    ['a Pixel ID with letters', { pixelId: '12345abc' }, 'The Pixel ID must be the digits shown in Events Manager'],
    ['an API version without v and .0', { apiVersion: '26' }, 'The Graph API version must look like v26.0'],
    // executeBatch does not validate settings against their schema the way Destination.onBatch does.
    ['no Pixel ID at all', { pixelId: undefined }, 'The Pixel ID must be the digits shown in Events Manager'],
    ['an API version that is a number', { apiVersion: 26 }, 'The Graph API version must look like v26.0']
  ])('answers every event with a 400 configuration error for %s, without a request', async (_, bad, message) => {
    graphEndpoint()
    const events = purchases(4)
    delete (events[3].properties as Record<string, unknown>).currency

    const results = await executeBatch(events, { settings: { ...settings, ...bad } })

    expect(requests).toHaveLength(0)
    expect(results).toHaveLength(4)
    for (const result of results.slice(0, 3)) {
      expect(result).toMatchObject({
        status: 400,
        errormessage: message,
        body: { kind: 'configuration', retryable: false }
      })
    }
    // An event that is invalid anyway keeps its own, more useful reason.
    expect(results[3]).toMatchObject({ status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED' })
  })
})

describe('isolating the events Meta rejects', () => {
  it("fails only the event Meta names as $['data'][17] and delivers the other 999 in a second request", async () => {
    graphEndpoint((body, n) => (n === 1 ? invalidParameter(17, n) : acceptAll(body, n)))

    const results = await executeBatch(purchases(1000))

    expect(requests).toHaveLength(2)
    expect(ids(requests[0])).toEqual(range(0, 1000))
    expect(ids(requests[1])).toEqual(range(0, 1000).filter((id) => id !== 'evt-17'))
    expect(failedIndices(results)).toEqual([17])
    expect(results[17]).toMatchObject({
      status: 400,
      errortype: 'BAD_REQUEST',
      errormessage:
        "Invalid parameter: Parameter Not Hashed: The parameter $['data'][17]['user_data']['ct'] isn't hashed. " +
        '(code 100, subcode 2804016, fbtrace_id trace-1)',
      sent: { event_id: 'evt-17' }
    })
    expect(results[17].body).toEqual({
      kind: 'data',
      retryable: false,
      code: 100,
      error_subcode: 2804016,
      fbtrace_id: 'trace-1'
    })
    expect(results.filter((result) => result.status === 200)).toHaveLength(999)
    expect(results[18]).toMatchObject({ status: 200, sent: { event_id: 'evt-18' }, body: { fbtrace_id: 'trace-2' } })
  })

  it("maps the index Meta names back through chunking and events refused earlier: $['data'][17] of the second request", async () => {
    graphEndpoint((body, n) =>
      body.data[0].event_id === 'evt-1001' && body.data.length === 1000 ? invalidParameter(17, n) : acceptAll(body, n)
    )
    const events = purchases(2001)
    delete (events[3].properties as Record<string, unknown>).currency // refused by us: shifts later events by one

    const results = await executeBatch(events)

    // Filtered events 0..999 are originals 0..1000 minus 3; the second request starts at evt-1001, so its
    // element 17 is evt-1018.
    expect(requests).toHaveLength(3)
    expect(failedIndices(results)).toEqual([3, 1018])
    expect(results[1018]).toMatchObject({ status: 400, sent: { event_id: 'evt-1018' }, body: { kind: 'data' } })
    expect(results[3]).toMatchObject({ status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED' })
    expect(requests.flatMap(ids).filter((id) => id === 'evt-1019')).toHaveLength(2)
  })

  it("maps the index Meta names back through test_event_code groups: $['data'][1] of the TEST222 request", async () => {
    graphEndpoint((body, n) =>
      body.test_event_code === 'TEST222' && body.data.length === 3 ? invalidParameter(1, n) : acceptAll(body, n)
    )
    const events = purchases(6).map((event, i) => ({
      ...event,
      properties: { ...event.properties, test_code: i % 2 === 0 ? 'TEST111' : 'TEST222' }
    }))
    const mapping = { ...volumeMapping, test_event_code: { '@path': '$.properties.test_code' } }

    const results = await executeBatch(events, { mapping })

    // The TEST222 request carries evt-1, evt-3, evt-5: its element 1 is evt-3.
    expect(requests).toHaveLength(3)
    expect(failedIndices(results)).toEqual([3])
    expect(results[3]).toMatchObject({ status: 400, sent: { event_id: 'evt-3' }, body: { kind: 'data' } })
  })

  it('finds 3 bad events Meta does not name by splitting, within 1 + isolationBudget(1000, 3) requests', async () => {
    const bad = new Set(['evt-3', 'evt-500', 'evt-999'])
    graphEndpoint((body, n) =>
      body.data.some((event) => bad.has(event.event_id)) ? invalidParameter(undefined, n) : acceptAll(body, n)
    )

    const results = await executeBatch(purchases(1000))

    expect(requests.length).toBeLessThanOrEqual(1 + isolationBudget(1000, 3))
    expect(results).toHaveLength(1000)
    expect(failedIndices(results)).toEqual([3, 500, 999])
    for (const i of [3, 500, 999]) {
      expect(results[i]).toMatchObject({
        status: 400,
        sent: { event_id: `evt-${i}` },
        body: { kind: 'data', retryable: false, code: 100, error_subcode: 2804016 }
      })
      expect(results[i].errormessage).toMatch(
        /^Invalid parameter: Parameter Not Hashed: An event in this request isn't hashed\./
      )
    }
    // Every good event was delivered by exactly one accepted request, none twice.
    const delivered = requests.filter((request) => !request.body.data.some((event) => bad.has(event.event_id)))
    expect(delivered.flatMap(ids).sort()).toEqual(
      range(0, 1000)
        .filter((id) => !bad.has(id))
        .sort()
    )
  })

  it('answers "Not isolated" for the events left when the budget runs out, and still one result per event', async () => {
    // A failure no single event explains: Meta refuses every request of more than one event, naming nobody.
    graphEndpoint((body, n) => (body.data.length > 1 ? invalidParameter(undefined, n) : acceptAll(body, n)))

    const results = await executeBatch(purchases(1000))

    expect(requests.length).toBeLessThanOrEqual(1 + isolationBudget(1000, 0))
    expect(results).toHaveLength(1000)
    const deliveredAlone = requests.filter((request) => request.body.data.length === 1).flatMap(ids)
    expect(deliveredAlone.length).toBeGreaterThan(0)
    results.forEach((result, i) => {
      expect(result.sent?.event_id).toBe(`evt-${i}`)
      if (deliveredAlone.includes(`evt-${i}`)) {
        expect(result.status).toBe(200)
      } else {
        expect(result).toMatchObject({ status: 400, body: { kind: 'data', retryable: false, code: 100 } })
        expect(result.errormessage).toMatch(/^Not isolated: /)
        expect(result.body).not.toHaveProperty('retry_after_ms')
      }
    })
    expect(results.filter((result) => result.status === 200)).toHaveLength(deliveredAlone.length)
  })
})

describe('acknowledgement', () => {
  it('fails every event of a request whose events_received is not the number sent, retryably; other requests stand', async () => {
    graphEndpoint((body, n) =>
      body.data.some((event) => event.event_id === 'evt-2')
        ? [200, { events_received: 1, fbtrace_id: 'short' }]
        : acceptAll(body, n)
    )

    const results = await executeBatch(purchases(4), { mapping: { ...volumeMapping, batch_size: 2 } })

    expect(requests).toHaveLength(2)
    expect(results.map((result) => result.status)).toEqual([200, 200, 502, 502])
    for (const result of results.slice(2)) {
      expect(result.body).toEqual({ kind: 'transient', retryable: true, fbtrace_id: 'short' })
      expect(result.errormessage).toMatch(/^Meta acknowledged 1 of 2 events in this request/)
    }
  })

  it('does not take a 200 without events_received for a success', async () => {
    graphEndpoint(() => [200, { fbtrace_id: 'odd' }])

    const results = await executeBatch(purchases(2))

    for (const result of results) expect(result).toMatchObject({ status: 500, body: { retryable: true } })
  })
})

describe('property: one result per input, never a throw', () => {
  /** Where garbage is planted in an otherwise valid event: every field the mappings read. */
  const plantable = [
    'timestamp',
    'messageId',
    'userId',
    'context',
    'context.ip',
    'context.userAgent',
    'context.page',
    'context.traits',
    'context.traits.email',
    'context.traits.address',
    'properties',
    'properties.revenue',
    'properties.currency',
    'properties.products',
    'properties.fbp',
    'properties.action_source'
  ]

  function plant(event: SegmentEvent, at: string, value: unknown): SegmentEvent {
    const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>
    const keys = at.split('.')
    let target = copy
    for (const key of keys.slice(0, -1)) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {}
      target = target[key] as Record<string, unknown>
    }
    target[keys[keys.length - 1]] = value
    return copy as unknown as SegmentEvent
  }

  /**
   * actions-core itself reads `event.context.personas` of every event before performBatch runs, and throws
   * on `context: null`; no Segment event has one, so the generators leave it out.
   */
  function withoutNullContext<T>(value: T): T {
    if (typeof value !== 'object' || value === null || (value as { context?: unknown }).context !== null) return value
    const { context: _context, ...rest } = value as Record<string, unknown>
    return rest as T
  }

  const index = fc.nat({ max: 10_000 })
  const valid = fc.oneof(index.map(purchase), index.map(referencePurchase))
  const spoiled = fc
    .tuple(valid, fc.constantFrom(...plantable), fc.anything())
    .map(([event, at, value]) => withoutNullContext(plant(event, at, value)))
  const anyObject = fc.oneof(
    valid,
    spoiled,
    fc.object().map(withoutNullContext) as unknown as fc.Arbitrary<SegmentEvent>
  )
  const anyEvent = fc.oneof(anyObject, fc.anything().map(withoutNullContext) as fc.Arbitrary<SegmentEvent>)

  /** The events of a batch tagged, so that every result can be checked against its own input. */
  function checkOneResultEach(events: SegmentEvent[], results: Result[], validOnes: Set<SegmentEvent>): void {
    expect(results).toHaveLength(events.length)
    events.forEach((event, i) => {
      const result = results[i]
      expect(typeof result.status).toBe('number')
      // Only our own messageIds are checked: a planted one may be coerced ([0] becomes "0") or dropped ("").
      const messageId = (event as { messageId?: unknown } | null | undefined)?.messageId
      const tagged = typeof messageId === 'string' && /^evt-\d+$/.test(messageId)
      if (result.status === 200 && tagged) expect(result.sent?.event_id).toBe(messageId)
      if (result.status !== 200) expect(typeof result.errormessage).toBe('string')
      if (validOnes.has(event)) expect(result).toMatchObject({ status: 200, sent: { event_id: event.messageId } })
    })
    // Meta (nock) accepts whatever it is sent, so every event sent is a success and every success was sent once.
    const sent = requests.flatMap(ids)
    expect(sent).toHaveLength(results.filter((result) => result.status === 200).length)
  }

  it('answers any batch of up to 60 arbitrary values through executeBatch with exactly one result each', async () => {
    graphEndpoint()
    const valids = new Set<SegmentEvent>()
    const tracked = valid.map((event) => (valids.add(event), event))
    await fc.assert(
      fc.asyncProperty(
        // actions-core's executeBatch reads events[0].context before anything else, so the first is an object.
        fc.oneof(tracked, anyObject),
        fc.array(fc.oneof(tracked, anyEvent), { maxLength: 59 }),
        async (first, rest) => {
          requests = []
          const events = [first, ...rest]
          const results = await executeBatch(events)
          checkOneResultEach(events, results, valids)
        }
      ),
      { numRuns: 30 }
    )
  })

  it('answers any batch of 0 to 60 arbitrary objects through Destination.onBatch with exactly one result each', async () => {
    graphEndpoint()
    const destination = new Destination(definition)
    const subscription = { subscribe: 'type = "track"', partnerAction: 'sendEvent', mapping: purchaseMapping }
    const valids = new Set<SegmentEvent>()
    const tracked = valid.map((event) => (valids.add(event), event))
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(tracked, anyObject), { maxLength: 60 }), async (events) => {
        requests = []
        const output = await destination.onBatch(events, { ...settings, subscription })
        if (!events.some((event) => event.type === 'track')) {
          expect(output).toEqual([{ output: 'not subscribed' }])
          return
        }
        expect(output).toHaveLength(1)
        const results = output[0].multistatus as Result[]
        allResults.push(...results)
        checkOneResultEach(events, results, valids)
      }),
      { numRuns: 30 }
    )
  })

  it("never reaches performBatch with an empty batch: the host answers it (actions-core's executeBatch cannot)", async () => {
    graphEndpoint()
    const subscription = { subscribe: 'type = "track"', partnerAction: 'sendEvent', mapping: purchaseMapping }

    await expect(new Destination(definition).onBatch([], { ...settings, subscription })).resolves.toEqual([
      { output: 'not subscribed' }
    ])
    // Destination.executeBatch dereferences events[0] before any action code runs; a host never calls it empty.
    await expect(executeBatch([])).rejects.toThrow(TypeError)
    expect(requests).toHaveLength(0)
  })
})
