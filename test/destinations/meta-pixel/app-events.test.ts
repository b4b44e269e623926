import { createTestIntegration, Destination } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import definition from '../../../src'
import { appDataFields, defaultsOf } from '../../../src/destinations/meta-pixel/sendEvent/fields'
import { referenceOrderCompleted, referenceRequestBody, settings, atFrozenTimeWithoutNetwork } from '../../helpers'
import { interceptEvents, presetMapping, presetNamed } from './support'

// Hashes from test/lib/user-data/golden-vectors.json (meta-capi.md §6.6).
const EM_JOHN_SMITH = '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'
const EXTERNAL_ID_USER_123 = 'fcdec6df4d44dbc637c7c5b58efface52a7f8a88535423430255be0bb89bedd8'
const PH_UK = '35e206e5dec4c89b9e8b71b8c32724a5bb518483ac5a20c6617d738375b3b823'
const EXTERNAL_ID_123 = 'a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3'

const IDFA = '6D92078A-8246-4BA4-AE5B-76104861E7DC'
const GAID = 'cdda802e-fb9c-47ad-9866-0794d394c912'

/** An Order Completed as Segment's iOS library (analytics-swift) sends it, flagged as an app conversion. */
function iosOrderCompleted(): SegmentEvent {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId: 'ios-3f0c3a52-1b7e-4b8e-9a55-0d2f7c9e4a11',
    timestamp: '2026-11-21T19:30:00.000Z',
    userId: 'User-123',
    anonymousId: '0B7E5A2C-93A4-4F40-8D4D-0F1A9D3C7E21',
    context: {
      app: { name: 'Example Shop', version: '3.2.1', build: '3210', namespace: 'com.example.shop' },
      device: {
        id: 'B8F0B1E4-5C43-4D9B-A0B6-8E8C1E0F2A33',
        advertisingId: IDFA,
        adTrackingEnabled: true,
        manufacturer: 'Apple',
        model: 'iPhone15,2',
        name: 'iPhone',
        type: 'ios'
      },
      os: { name: 'iOS', version: '17.5.1' },
      screen: { width: 390, height: 844, density: 3 },
      network: { carrier: 'T-Mobile', cellular: true, wifi: false },
      locale: 'en-US',
      timezone: 'America/Los_Angeles',
      ip: '203.0.113.7',
      library: { name: 'analytics-swift', version: '1.5.11' },
      traits: { email: 'John_Smith@Gmail.com' }
    },
    properties: {
      action_source: 'app',
      order_id: 'ios-5001',
      revenue: 25,
      currency: 'USD',
      products: [
        { product_id: '507f1f77bcf86cd799439011', quantity: 1, price: 19 },
        { product_id: '505bd76785ebb509fc183733', quantity: 2, price: 3 }
      ]
    }
  } as SegmentEvent
}

/** A Lead from Segment's Android library (analytics-kotlin), the user having limited ad tracking. */
function androidLead(): SegmentEvent {
  return {
    type: 'track',
    event: 'Lead',
    messageId: 'android-9b2d5c4e-7f61-4c0a-8e3b-1d2e3f4a5b6c',
    timestamp: '2026-11-22T06:15:42.500Z',
    userId: '123',
    anonymousId: 'f3a7c1d2-6b8e-4f0a-9c2d-3e4f5a6b7c8d',
    context: {
      app: { name: 'Example Shop', version: '3.2.0', build: '320', namespace: 'com.example.shop' },
      device: {
        id: 'a1b2c3d4e5f60718',
        advertisingId: GAID,
        adTrackingEnabled: false,
        manufacturer: 'Google',
        model: 'Pixel 8',
        type: 'android'
      },
      os: { name: 'Android', version: '14' },
      screen: { width: 1080, height: 2400, density: 2.625 },
      network: { carrier: 'Vodafone UK', cellular: false, wifi: true },
      locale: 'en-GB',
      timezone: 'Europe/London',
      library: { name: 'analytics-kotlin', version: '1.16.3' },
      traits: { phone: '0044 20 7946 0958' }
    },
    properties: { form: 'callback' }
  } as SegmentEvent
}

const iosExpectedEvent = {
  event_name: 'Purchase',
  event_time: 1795289400,
  event_id: 'ios-3f0c3a52-1b7e-4b8e-9a55-0d2f7c9e4a11',
  action_source: 'app',
  user_data: {
    em: [EM_JOHN_SMITH],
    external_id: [EXTERNAL_ID_USER_123],
    client_ip_address: '203.0.113.7',
    madid: IDFA
  },
  custom_data: {
    value: 25,
    currency: 'USD',
    content_ids: ['507f1f77bcf86cd799439011', '505bd76785ebb509fc183733'],
    contents: [
      { id: '507f1f77bcf86cd799439011', quantity: 1, item_price: 19 },
      { id: '505bd76785ebb509fc183733', quantity: 2, item_price: 3 }
    ],
    content_type: 'product',
    num_items: 3,
    order_id: 'ios-5001'
  },
  app_data: {
    advertiser_tracking_enabled: 1,
    application_tracking_enabled: 1,
    extinfo: [
      'i2',
      'com.example.shop',
      '3.2.1',
      '3210',
      '17.5.1',
      'iPhone15,2',
      'en-US',
      '',
      'T-Mobile',
      '390',
      '844',
      '3',
      '',
      '',
      '',
      'America/Los_Angeles'
    ]
  }
}

atFrozenTimeWithoutNetwork()

describe('app events', () => {
  it('iOS, action_source app from the event: app_data with tracking 1/1, the 16-slot i2 extinfo and madid', async () => {
    const meta = interceptEvents()
    const destination = new Destination(definition)

    await destination.onEvent(iosOrderCompleted(), { ...settings, subscription: presetNamed('Purchase') })

    expect(meta.requests.map((request) => request.body)).toEqual([
      { data: [iosExpectedEvent], partner_agent: 'acme-capi-plugin-1.0.0' }
    ])
  })

  it('Android, action_source app from the defaultActionSource setting: tracking 0/0 and the a2 extinfo', async () => {
    const meta = interceptEvents()
    const destination = new Destination(definition)

    await destination.onEvent(androidLead(), {
      ...settings,
      defaultActionSource: 'app',
      subscription: presetNamed('Lead')
    })

    expect(meta.requests.map((request) => request.body)).toEqual([
      {
        data: [
          {
            event_name: 'Lead',
            event_time: 1795328142,
            event_id: 'android-9b2d5c4e-7f61-4c0a-8e3b-1d2e3f4a5b6c',
            action_source: 'app',
            user_data: { ph: [PH_UK], external_id: [EXTERNAL_ID_123], madid: GAID },
            app_data: {
              advertiser_tracking_enabled: 0,
              application_tracking_enabled: 0,
              extinfo: [
                'a2',
                'com.example.shop',
                '3.2.0',
                '320',
                '14',
                'Pixel 8',
                'en-GB',
                '',
                'Vodafone UK',
                '1080',
                '2400',
                '2.625',
                '',
                '',
                '',
                'Europe/London'
              ]
            }
          }
        ],
        partner_agent: 'acme-capi-plugin-1.0.0'
      }
    ])
  })

  it('the action_source mapping field makes it an app event although the setting says website', async () => {
    const meta = interceptEvents()
    const event = iosOrderCompleted()
    delete event.properties?.action_source
    const testDestination = createTestIntegration(definition)

    const responses = await testDestination.testAction('sendEvent', {
      event,
      settings: { ...settings, defaultActionSource: 'website' },
      mapping: { ...presetMapping('Purchase'), action_source: 'app' },
      useDefaultMappings: true
    })

    expect(JSON.parse(String(responses[0].options.body))).toEqual({
      data: [iosExpectedEvent],
      partner_agent: 'acme-capi-plugin-1.0.0'
    })
    expect(meta.requests).toHaveLength(1)
  })

  it('application_tracking_enabled from the mapping is sent apart from advertiser_tracking_enabled', async () => {
    interceptEvents()
    const appDataDefaults = defaultsOf(appDataFields)
    const testDestination = createTestIntegration(definition)

    const responses = await testDestination.testAction('sendEvent', {
      event: iosOrderCompleted(),
      settings,
      mapping: {
        ...presetMapping('Purchase'),
        app_data: { ...appDataDefaults, application_tracking_enabled: false, timezone_abbreviation: 'PST' }
      },
      useDefaultMappings: true
    })

    const [sent] = JSON.parse(String(responses[0].options.body)).data
    expect(sent.app_data).toEqual({
      advertiser_tracking_enabled: 1,
      application_tracking_enabled: 0,
      extinfo: [
        'i2',
        'com.example.shop',
        '3.2.1',
        '3210',
        '17.5.1',
        'iPhone15,2',
        'en-US',
        'PST',
        'T-Mobile',
        '390',
        '844',
        '3',
        '',
        '',
        '',
        'America/Los_Angeles'
      ]
    })
  })
})

describe('website events', () => {
  it('never carry app_data, even when the event has device, OS and tracking facts', async () => {
    const meta = interceptEvents()
    const destination = new Destination(definition)
    const reference = referenceOrderCompleted()
    const webview = {
      ...reference,
      context: {
        ...reference.context,
        device: { adTrackingEnabled: true, model: 'iPhone15,2' },
        os: { name: 'iOS', version: '17.5.1' },
        app: { namespace: 'com.example.shop', version: '3.2.1' },
        screen: { width: 390, height: 844, density: 3 }
      }
    }

    await destination.onEvent(webview, { ...settings, subscription: presetNamed('Purchase') })

    // The reference request has neither app_data nor madid.
    expect(meta.requests.map((request) => request.body)).toEqual([referenceRequestBody])
  })
})
