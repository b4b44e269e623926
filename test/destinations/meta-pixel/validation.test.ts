/**
 * Every event Meta would refuse is refused before any request, one event at a time, with a
 * PayloadValidationError (HTTP 400, not retried) that says what is wrong; an invalid optional part is left out
 * and the event still goes.
 */
import nock from 'nock'
import { createTestIntegration, PayloadValidationError } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../../../src'
import { NOW_MS, referenceOrderCompleted, referenceRequestBody, SAFARI_UA, settings } from '../../helpers'
import { DAY_MS, interceptEvents, presetMapping } from './support'
import type { EventsInterceptor } from './support'

// Hashes from test/lib/user-data/golden-vectors.json (meta-capi.md §6.6).
const EM_JOHN_SMITH = '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'
const [referenceEvent] = referenceRequestBody.data
const NOW_SECONDS = 1795334400 // 2026-11-22T08:00:00Z

let meta: EventsInterceptor

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW_MS)
  nock.disableNetConnect()
  meta = interceptEvents()
})
afterEach(() => {
  nock.cleanAll()
  jest.restoreAllMocks()
})

type Changes = Partial<Omit<SegmentEvent, 'context' | 'properties'>> & {
  context?: Record<string, unknown>
  properties?: Record<string, unknown>
}

/** The §12 reference Order Completed with changes to its top level, context and properties (undefined removes). */
function orderCompleted(changes: Changes = {}): SegmentEvent {
  const reference = referenceOrderCompleted()
  const strip = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined))
  return {
    ...reference,
    ...changes,
    context: strip({ ...reference.context, ...changes.context }),
    properties: strip({ ...reference.properties, ...changes.properties })
  } as SegmentEvent
}

/** Sends one event the way a host's field-level test does: the Purchase preset's mapping over the defaults. */
async function send(event: SegmentEvent, options: { settings?: JSONObject; mapping?: JSONObject } = {}) {
  const testDestination = createTestIntegration(definition)
  const responses = await testDestination.testAction('sendEvent', {
    event,
    settings: { ...settings, ...options.settings },
    mapping: { ...presetMapping('Purchase'), ...options.mapping },
    useDefaultMappings: true
  })
  return JSON.parse(String(responses[0].options.body))
}

/** The error `send` rejects with, checked to be a 400 PayloadValidationError sent before any request. */
async function refusal(event: SegmentEvent, options: { settings?: JSONObject; mapping?: JSONObject } = {}) {
  let error: unknown
  try {
    await send(event, options)
  } catch (thrown) {
    error = thrown
  }
  expect(error).toBeInstanceOf(PayloadValidationError)
  expect((error as PayloadValidationError).status).toBe(400)
  expect(meta.requests).toHaveLength(0)
  return (error as Error).message
}

/** The reference request with its one event changed. */
function referenceWith(changes: Record<string, unknown>) {
  return { ...referenceRequestBody, data: [{ ...referenceEvent, ...changes }] }
}

describe('Purchase currency and value', () => {
  it('refuses a Purchase without currency when no default currency is set', async () => {
    expect(await refusal(orderCompleted({ properties: { currency: undefined } }))).toMatch(
      /Purchase events need a currency/
    )
  })

  it('fills a missing currency from the defaultCurrency setting', async () => {
    const body = await send(orderCompleted({ properties: { currency: undefined } }), {
      settings: { defaultCurrency: 'eur' }
    })

    expect(body).toEqual(referenceWith({ custom_data: { ...referenceEvent.custom_data, currency: 'EUR' } }))
  })

  it('refuses a Purchase without any value (no revenue, total, value or priced products)', async () => {
    const products = [
      { product_id: '507f1f77bcf86cd799439011', quantity: 1 },
      { product_id: '505bd76785ebb509fc183733', quantity: 2 }
    ]

    expect(await refusal(orderCompleted({ properties: { revenue: undefined, products } }))).toMatch(
      /Purchase events need a numeric value/
    )
  })

  it.each(['US$', 'XYZW'])('refuses the currency %p, which is not ISO-4217, and quotes it', async (currency) => {
    expect(await refusal(orderCompleted({ properties: { currency } }))).toMatch(
      new RegExp(`currency "${currency.replace('$', '\\$')}" is not an ISO-4217 code`)
    )
  })

  it('refuses a longer currency value without quoting it, since it may be anything, personal data included', async () => {
    expect(await refusal(orderCompleted({ properties: { currency: 'dollars' } }))).toBe(
      'currency is not an ISO-4217 code'
    )
  })

  it('accepts a lower-case ISO code and sends it upper-case', async () => {
    expect(await send(orderCompleted({ properties: { currency: 'usd' } }))).toEqual(referenceRequestBody)
  })
})

describe('contents and delivery_category', () => {
  it('sends the event without a contents item that has no id (Meta requires one on every item)', async () => {
    const products = [
      { product_id: '507f1f77bcf86cd799439011', quantity: 1, price: 19 },
      { name: 'Gift wrap', quantity: 1, price: 6 }
    ]

    expect(await send(orderCompleted({ properties: { products } }))).toEqual(
      referenceWith({
        custom_data: {
          ...referenceEvent.custom_data,
          content_ids: ['507f1f77bcf86cd799439011'],
          contents: [{ id: '507f1f77bcf86cd799439011', quantity: 1, item_price: 19 }],
          num_items: 2
        }
      })
    )
  })

  it('leaves out an event delivery_category outside in_store, curbside and home_delivery', async () => {
    expect(await send(orderCompleted(), { mapping: { delivery_category: 'drone' } })).toEqual(referenceRequestBody)
  })

  it('leaves out a contents item delivery_category outside the three values, keeping the item', async () => {
    const contents = {
      '@arrayPath': [
        '$.properties.products',
        {
          id: { '@path': '$.product_id' },
          quantity: { '@path': '$.quantity' },
          item_price: { '@path': '$.price' },
          delivery_category: 'drone'
        }
      ]
    }

    expect(await send(orderCompleted(), { mapping: { contents } })).toEqual(referenceRequestBody)
  })

  it('sends a valid delivery_category', async () => {
    const body = await send(orderCompleted(), { mapping: { delivery_category: 'curbside' } })

    expect(body).toEqual(
      referenceWith({ custom_data: { ...referenceEvent.custom_data, delivery_category: 'curbside' } })
    )
  })
})

describe('website events', () => {
  it('refuses one without a user agent', async () => {
    expect(await refusal(orderCompleted({ context: { userAgent: undefined } }))).toMatch(
      /website events need the client user agent/
    )
  })

  it('refuses one without a page URL', async () => {
    expect(await refusal(orderCompleted({ context: { page: undefined } }))).toMatch(
      /website events need the page URL \(event_source_url\)/
    )
  })
})

describe('event_time', () => {
  const at = (ms: number) => new Date(ms).toISOString()

  it('refuses a website event older than 7 days', async () => {
    const message = await refusal(orderCompleted({ timestamp: at(NOW_MS - 7 * DAY_MS - 1000) }))

    expect(message).toMatch(/older than the 7 days Meta accepts for website events/)
  })

  it('accepts a website event exactly 7 days old', async () => {
    const body = await send(orderCompleted({ timestamp: at(NOW_MS - 7 * DAY_MS) }))

    expect(body.data[0].event_time).toBe(NOW_SECONDS - 7 * 86400)
  })

  const inStore = (ageMs: number) =>
    orderCompleted({
      timestamp: at(NOW_MS - ageMs),
      context: { userAgent: undefined, page: undefined, ip: undefined },
      properties: { action_source: 'physical_store' }
    })

  it('accepts a physical_store event 30 days old', async () => {
    const body = await send(inStore(30 * DAY_MS))

    expect(body.data[0]).toMatchObject({ action_source: 'physical_store', event_time: NOW_SECONDS - 30 * 86400 })
    expect(body.data[0]).not.toHaveProperty('event_source_url')
  })

  it('refuses a physical_store event 63 days old', async () => {
    expect(await refusal(inStore(63 * DAY_MS))).toMatch(/older than the 62 days Meta accepts for physical_store events/)
  })

  it('clamps an event more than a minute in the future to now (documented: the conversion did happen)', async () => {
    const body = await send(orderCompleted({ timestamp: at(NOW_MS + 2 * 60 * 1000) }))

    expect(body.data[0].event_time).toBe(NOW_SECONDS)
  })

  it('keeps an event less than a minute in the future as it is', async () => {
    const body = await send(orderCompleted({ timestamp: at(NOW_MS + 30 * 1000) }))

    expect(body.data[0].event_time).toBe(NOW_SECONDS + 30)
  })
})

describe('customer information', () => {
  const anonymous = { userId: undefined, anonymousId: undefined }

  it('refuses an event with none at all', async () => {
    const event = orderCompleted({
      ...anonymous,
      context: { ip: undefined, userAgent: undefined, page: undefined, traits: undefined },
      properties: { fbp: undefined, action_source: 'system_generated' }
    })

    expect(await refusal(event)).toMatch(/no customer information/)
  })

  it('refuses a website event whose only customer information is the user agent', async () => {
    const event = orderCompleted({
      ...anonymous,
      context: { ip: undefined, traits: undefined, page: { url: 'https://shop.example.com/checkout/thank-you' } },
      properties: { fbp: undefined }
    })

    expect(await refusal(event)).toMatch(/customer information too broad.*client_user_agent/)
  })

  it('refuses an event with only first name and gender (Meta: a subset of fn+ge)', async () => {
    const event = orderCompleted({
      ...anonymous,
      context: {
        ip: undefined,
        userAgent: undefined,
        page: undefined,
        traits: { firstName: 'Mary', gender: 'Female' }
      },
      properties: { fbp: undefined, action_source: 'physical_store' }
    })

    expect(await refusal(event)).toMatch(/customer information too broad.*fn, ge/)
  })

  it('accepts an email alone', async () => {
    const event = orderCompleted({
      ...anonymous,
      context: { ip: undefined, userAgent: undefined, page: undefined, traits: { email: 'John_Smith@Gmail.com' } },
      properties: { fbp: undefined, action_source: 'physical_store' }
    })

    const body = await send(event)

    expect(body.data[0].user_data).toEqual({ em: [EM_JOHN_SMITH] })
  })
})

describe('app events', () => {
  const appContext = {
    ip: undefined,
    userAgent: undefined,
    page: undefined,
    app: { version: '3.2.1', build: '3210', namespace: 'com.example.shop' },
    device: { advertisingId: '6D92078A-8246-4BA4-AE5B-76104861E7DC', adTrackingEnabled: true, model: 'iPhone15,2' },
    os: { name: 'iOS', version: '17.5.1' }
  }
  const appEvent = (context: Record<string, unknown>) =>
    orderCompleted({ context: { ...appContext, ...context }, properties: { action_source: 'app' } })

  it('accepts the complete app event (the cases below each remove one fact)', async () => {
    const body = await send(appEvent({}))

    expect(body.data[0].app_data.advertiser_tracking_enabled).toBe(1)
  })

  it('refuses one without advertiser_tracking_enabled', async () => {
    expect(await refusal(appEvent({ device: { model: 'iPhone15,2' } }))).toMatch(
      /app events need advertiser_tracking_enabled/
    )
  })

  it('refuses one without the OS name', async () => {
    expect(await refusal(appEvent({ os: { version: '17.5.1' } }))).toMatch(/app events need the device OS name/)
  })

  it('refuses one whose OS is neither iOS nor Android', async () => {
    expect(await refusal(appEvent({ os: { name: 'Windows', version: '11' } }))).toMatch(
      /app events need the device OS name \(iOS or Android\)/
    )
  })

  it('refuses one without the OS version', async () => {
    expect(await refusal(appEvent({ os: { name: 'iOS' } }))).toMatch(/app events need the device OS version/)
  })
})

describe('event_name', () => {
  it("refuses a name longer than Meta's 50 characters", async () => {
    const longName = 'Customer Completed The Extended Onboarding Checklist'
    expect(longName).toHaveLength(52)

    expect(
      await refusal(orderCompleted({ event: longName }), { mapping: { event_name: { '@path': '$.event' } } })
    ).toMatch(/event_name is longer than Meta's 50 characters/)
  })

  it('passes a custom event name through as it is, with the default mapping', async () => {
    const testDestination = createTestIntegration(definition)

    const responses = await testDestination.testAction('sendEvent', {
      event: orderCompleted({ event: 'Quote Requested' }),
      settings,
      useDefaultMappings: true
    })

    expect(JSON.parse(String(responses[0].options.body))).toEqual(
      referenceWith({
        event_name: 'Quote Requested',
        custom_data: {
          value: 25,
          currency: 'USD',
          order_id: '50314b8e9bcf000000000000',
          content_ids: ['507f1f77bcf86cd799439011', '505bd76785ebb509fc183733'],
          contents: [
            { id: '507f1f77bcf86cd799439011', quantity: 1, item_price: 19 },
            { id: '505bd76785ebb509fc183733', quantity: 2, item_price: 3 }
          ]
        }
      })
    )
  })

  it('passes a custom name of exactly 50 characters', async () => {
    const name = 'Customer Finished The Extended Onboarding Checklis'
    expect(name).toHaveLength(50)

    const body = await send(orderCompleted({ event: name }), { mapping: { event_name: { '@path': '$.event' } } })

    expect(body.data[0].event_name).toBe(name)
  })
})

it('a website event with an email, user agent and page URL but nothing else is sent', async () => {
  const event = orderCompleted({
    userId: undefined,
    anonymousId: undefined,
    context: { ip: undefined, traits: { email: 'John_Smith@Gmail.com' }, page: { url: 'https://shop.example.com/' } },
    properties: { fbp: undefined }
  })

  const body = await send(event)

  expect(body.data[0].user_data).toEqual({ em: [EM_JOHN_SMITH], client_user_agent: SAFARI_UA })
})
