import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Destination } from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'
import definition from '../../../src'
import {
  ACCESS_TOKEN,
  PIXEL_ID,
  referenceOrderCompleted,
  referenceRequestBody,
  settings,
  atFrozenTimeWithoutNetwork
} from '../../helpers'
import { interceptEvents, presetMapping, presetNamed } from './support'

// Read here rather than imported from src, so a wrong version in the code cannot agree with itself.
const PACKAGE_VERSION: string = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')
).version

const [referenceEvent] = referenceRequestBody.data

atFrozenTimeWithoutNetwork()

/** The reference Order Completed through the Purchase preset, with these settings and mapping changes. */
async function sendReference(settingsChanges: JSONObject = {}, mappingChanges: JSONObject = {}) {
  const destination = new Destination(definition)
  const mapping: JSONObject = { ...presetMapping('Purchase'), ...mappingChanges }
  const subscription: JSONObject = { ...presetNamed('Purchase'), mapping }
  return destination.onEvent(referenceOrderCompleted(), { ...settings, ...settingsChanges, subscription })
}

describe('authorization', () => {
  it('sends the token only as "Authorization: Bearer <token>", never in the URL or the body', async () => {
    const meta = interceptEvents()

    await sendReference()

    expect(meta.requests).toHaveLength(1)
    const [request] = meta.requests
    expect(request.authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
    expect(request.path).toBe(`/v26.0/${PIXEL_ID}/events`)
    expect(request.path).not.toContain(ACCESS_TOKEN)
    expect(JSON.stringify(request.body)).not.toContain(ACCESS_TOKEN)
    expect(request.body).toEqual(referenceRequestBody)
  })
})

describe('partner_agent', () => {
  it('comes from the partnerAgent setting', async () => {
    const meta = interceptEvents()

    await sendReference({ partnerAgent: 'shopify-bridge-2.4.0' })

    expect(meta.requests[0].body).toEqual({ ...referenceRequestBody, partner_agent: 'shopify-bridge-2.4.0' })
  })

  it('defaults to meta-pixel-destination-<package version> when the setting is unset', async () => {
    const meta = interceptEvents()
    const { partnerAgent: _unset, ...withoutPartnerAgent } = settings
    const destination = new Destination(definition)

    await destination.onEvent(referenceOrderCompleted(), {
      ...withoutPartnerAgent,
      subscription: presetNamed('Purchase')
    })

    expect(meta.requests[0].body).toEqual({
      ...referenceRequestBody,
      partner_agent: `meta-pixel-destination-${PACKAGE_VERSION}`
    })
  })
})

describe('test_event_code', () => {
  it('is absent without a setting or mapping', async () => {
    const meta = interceptEvents()

    await sendReference()

    expect(meta.requests[0].body).not.toHaveProperty('test_event_code')
  })

  it('comes from the testEventCode setting', async () => {
    const meta = interceptEvents()

    await sendReference({ testEventCode: 'TEST12345' })

    expect(meta.requests[0].body).toEqual({ ...referenceRequestBody, test_event_code: 'TEST12345' })
  })

  it('the mapping field overrides the setting', async () => {
    const meta = interceptEvents()

    await sendReference({ testEventCode: 'TEST12345' }, { test_event_code: 'TEST67890' })

    expect(meta.requests[0].body).toEqual({ ...referenceRequestBody, test_event_code: 'TEST67890' })
  })
})

describe('Limited Data Use', () => {
  const withLdu = (country: number, state: number) => ({
    ...referenceRequestBody,
    data: [
      {
        ...referenceEvent,
        data_processing_options: ['LDU'],
        data_processing_options_country: country,
        data_processing_options_state: state
      }
    ]
  })

  it('off: no data_processing_options keys at all', async () => {
    const meta = interceptEvents()

    await sendReference({ limitedDataUse: false, limitedDataUseCountry: 1, limitedDataUseState: 1000 })

    expect(meta.requests[0].body).toEqual(referenceRequestBody)
  })

  it('on from the settings, with their country and state', async () => {
    const meta = interceptEvents()

    await sendReference({ limitedDataUse: true, limitedDataUseCountry: 1, limitedDataUseState: 1000 })

    expect(meta.requests[0].body).toEqual(withLdu(1, 1000))
  })

  it('on from the settings with country and state unset: Meta geolocates (0, 0)', async () => {
    const meta = interceptEvents()

    await sendReference({ limitedDataUse: true })

    expect(meta.requests[0].body).toEqual(withLdu(0, 0))
  })

  it('the mapping turns it off although the setting is on', async () => {
    const meta = interceptEvents()

    await sendReference(
      { limitedDataUse: true, limitedDataUseCountry: 1, limitedDataUseState: 1000 },
      { data_processing_options: false }
    )

    expect(meta.requests[0].body).toEqual(referenceRequestBody)
  })

  it('the mapping turns it on, with its own country and state, although the setting is off', async () => {
    const meta = interceptEvents()

    await sendReference(
      { limitedDataUse: false, limitedDataUseCountry: 0, limitedDataUseState: 0 },
      { data_processing_options: true, data_processing_options_country: 1, data_processing_options_state: 1005 }
    )

    expect(meta.requests[0].body).toEqual(withLdu(1, 1005))
  })

  it("the mapping's state overrides the setting's, the setting's country stays", async () => {
    const meta = interceptEvents()

    await sendReference(
      { limitedDataUse: true, limitedDataUseCountry: 1, limitedDataUseState: 1000 },
      { data_processing_options_state: 1004 }
    )

    expect(meta.requests[0].body).toEqual(withLdu(1, 1004))
  })
})

describe('where the request goes', () => {
  const saved = process.env.META_GRAPH_URL
  afterEach(() => {
    if (saved === undefined) delete process.env.META_GRAPH_URL
    else process.env.META_GRAPH_URL = saved
  })

  it('META_GRAPH_URL replaces https://graph.facebook.com', async () => {
    process.env.META_GRAPH_URL = 'http://127.0.0.1:9'
    const production = interceptEvents()
    const sandbox = interceptEvents({ host: 'http://127.0.0.1:9' })

    await sendReference()

    expect(production.requests).toHaveLength(0)
    expect(sandbox.requests).toHaveLength(1)
    expect(sandbox.requests[0].path).toBe(`/v26.0/${PIXEL_ID}/events`)
    expect(sandbox.requests[0].authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
    expect(sandbox.requests[0].body).toEqual(referenceRequestBody)
  })

  it('a trailing slash on META_GRAPH_URL does not double the slash', async () => {
    process.env.META_GRAPH_URL = 'http://127.0.0.1:9/'
    const sandbox = interceptEvents({ host: 'http://127.0.0.1:9' })

    await sendReference()

    expect(sandbox.requests.map((request) => request.path)).toEqual([`/v26.0/${PIXEL_ID}/events`])
  })

  it('the apiVersion setting picks the Graph API version in the path', async () => {
    const meta = interceptEvents({ path: `/v25.0/${PIXEL_ID}/events` })

    await sendReference({ apiVersion: 'v25.0' })

    expect(meta.requests.map((request) => request.path)).toEqual([`/v25.0/${PIXEL_ID}/events`])
    expect(meta.requests[0].body).toEqual(referenceRequestBody)
  })
})
