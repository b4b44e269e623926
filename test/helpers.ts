import nock from 'nock'
import type { JSONObject, Preset, SegmentEvent } from '@segment/actions-core'

export const PIXEL_ID = '123456789012345'
export const ACCESS_TOKEN = 'EAAB-test-token-never-printed'
export const GRAPH = 'https://graph.facebook.com'
export const EVENTS_PATH = `/v26.0/${PIXEL_ID}/events`
/** The clock every destination test runs at: two days after the §12 reference event. */
export const NOW_MS = Date.parse('2026-11-22T08:00:00.000Z')

export const settings = {
  pixelId: PIXEL_ID,
  accessToken: ACCESS_TOKEN,
  partnerAgent: 'acme-capi-plugin-1.0.0',
  apiVersion: 'v26.0',
  defaultActionSource: 'website'
}

export const SAFARI_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'
export const FBCLID = 'IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk'

/** The Segment "Order Completed" of meta-capi.md §12, whose exact CAPI request the reference prints. */
export function referenceOrderCompleted(): SegmentEvent {
  return {
    type: 'track',
    event: 'Order Completed',
    timestamp: '2026-11-20T14:03:12.345Z',
    messageId: 'ajs-next-5f1c2a9e-6d1b-4f7e-9c3a-2b8d7e6f1a00',
    userId: 'User-123',
    anonymousId: 'anon-42',
    context: {
      ip: '203.0.113.7',
      userAgent: SAFARI_UA,
      page: { url: `https://shop.example.com/checkout/thank-you?fbclid=${FBCLID}` },
      traits: {
        email: 'John_Smith@Gmail.com',
        phone: '+1 (650) 555-1212',
        firstName: 'Mary',
        lastName: "O'Brien-Smith",
        address: { city: 'Menlo Park', state: 'California', postalCode: '94035-1234', country: 'United States' }
      }
    },
    properties: {
      fbp: 'fb.1.1596403881668.1116446470',
      order_id: '50314b8e9bcf000000000000',
      revenue: 25,
      currency: 'usd',
      products: [
        { product_id: '507f1f77bcf86cd799439011', quantity: 1, price: 19 },
        { product_id: '505bd76785ebb509fc183733', quantity: 2, price: 3 }
      ]
    }
  } as SegmentEvent
}

/** The user_data Meta receives for the reference event (hashes from meta-capi.md §6.6 and §12). */
export const referenceUserData = {
  em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'],
  ph: ['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'],
  fn: ['6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec'],
  ln: ['16765783f9c8c8a3accf27f1abb877688cb5904c21a4a7afb5f125bcfcb246ba'],
  ct: ['0007a3d64c01e23d5075203c5977c14e4f7e01a3fc570686fcc50b5e1dd42685'],
  st: ['6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126'],
  zp: ['1794327a4d443904421f5ca1f3d72d0a62ba2f0770d80755ec2220fc0efb052e'],
  country: ['79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621'],
  external_id: ['fcdec6df4d44dbc637c7c5b58efface52a7f8a88535423430255be0bb89bedd8'],
  client_ip_address: '203.0.113.7',
  client_user_agent: SAFARI_UA,
  fbc: `fb.1.1795183392345.${FBCLID}`,
  fbp: 'fb.1.1596403881668.1116446470'
}

export const referenceRequestBody = {
  data: [
    {
      event_name: 'Purchase',
      event_time: 1795183392,
      event_id: 'ajs-next-5f1c2a9e-6d1b-4f7e-9c3a-2b8d7e6f1a00',
      action_source: 'website',
      event_source_url: `https://shop.example.com/checkout/thank-you?fbclid=${FBCLID}`,
      user_data: referenceUserData,
      custom_data: {
        currency: 'USD',
        value: 25,
        order_id: '50314b8e9bcf000000000000',
        content_type: 'product',
        content_ids: ['507f1f77bcf86cd799439011', '505bd76785ebb509fc183733'],
        contents: [
          { id: '507f1f77bcf86cd799439011', quantity: 1, item_price: 19 },
          { id: '505bd76785ebb509fc183733', quantity: 2, item_price: 3 }
        ],
        num_items: 3
      }
    }
  ],
  partner_agent: 'acme-capi-plugin-1.0.0'
}

/** A preset of the definition by name, shaped as the JSON subscription settings Destination.onEvent takes. */
export function presetSubscription(presets: readonly Preset[] | undefined, name: string): JSONObject {
  const preset = presets?.find((candidate) => candidate.name === name)
  if (!preset || preset.type !== 'automatic') throw new Error(`no automatic preset named ${name}`)
  return JSON.parse(JSON.stringify(preset)) as JSONObject
}

/** Every test of the file runs at NOW_MS with no real network: nock answers, or the request fails. */
export function atFrozenTimeWithoutNetwork(): void {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW_MS)
    nock.disableNetConnect()
  })
  afterEach(() => {
    nock.cleanAll()
    jest.restoreAllMocks()
  })
}

/**
 * nock patches Node's http and https modules, which all the test files a jest worker runs share, while each
 * file loads its own nock. A file that ends with its nock still active (and net connect disabled) makes the
 * next file's requests fail with "Disallowed net connect" before that file's own interceptors see them.
 * So every test file that imports these helpers restores nock when it ends, if it loaded nock.
 */
if (typeof afterAll === 'function') {
  afterAll(() => {
    if (!Object.keys(require.cache).some((path) => /[\\/]node_modules[\\/]nock[\\/]/.test(path))) return
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nock: typeof import('nock') = require('nock')
    nock.restore()
  })
}

/** Meta's 400 envelope for bad data (code 100), as its Graph API answers it; `details` adds subcode, title, trace. */
export function invalidParameterBody(userMessage: string, details: Record<string, unknown> = {}) {
  return {
    error: {
      message: 'Invalid parameter',
      type: 'OAuthException',
      code: 100,
      ...details,
      error_user_msg: userMessage
    }
  }
}
