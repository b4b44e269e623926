import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Destination } from '@segment/actions-core'
import nock from 'nock'
import type { DestinationDefinition, JSONObject } from '@segment/actions-core'
import definition, { createDefinition } from '../../../src'
import type { Settings } from '../../../src'
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
async function sendReference(
  settingsChanges: JSONObject = {},
  mappingChanges: JSONObject = {},
  target: DestinationDefinition<Settings> = definition
) {
  const destination = new Destination(target)
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
  it('a definition created with a graphUrl sends there, and the default definition to https://graph.facebook.com', async () => {
    const production = interceptEvents()
    const sandbox = interceptEvents({ host: 'http://127.0.0.1:9' })

    await sendReference({}, {}, createDefinition({ graphUrl: 'http://127.0.0.1:9/' }))

    expect(production.requests).toHaveLength(0)
    expect(sandbox.requests.map((request) => request.path)).toEqual([`/v26.0/${PIXEL_ID}/events`])
    expect(sandbox.requests[0].body).toEqual(referenceRequestBody)

    await sendReference()

    expect(production.requests.map((request) => request.path)).toEqual([`/v26.0/${PIXEL_ID}/events`])
    expect(sandbox.requests).toHaveLength(1)
  })

  it('the apiVersion setting picks the Graph API version in the path', async () => {
    const meta = interceptEvents({ path: `/v25.0/${PIXEL_ID}/events` })

    await sendReference({ apiVersion: 'v25.0' })

    expect(meta.requests.map((request) => request.path)).toEqual([`/v25.0/${PIXEL_ID}/events`])
    expect(meta.requests[0].body).toEqual(referenceRequestBody)
  })
})

// The one place the host-wide override is set: it is what this test is about (README, "testAuthentication reads the
// pixel"). Everything else passes its Graph URL to createDefinition or the engine.
describe('META_GRAPH_URL, the host-wide override', () => {
  const saved = process.env.META_GRAPH_URL
  afterEach(() => {
    if (saved === undefined) delete process.env.META_GRAPH_URL
    else process.env.META_GRAPH_URL = saved
  })

  it('replaces https://graph.facebook.com for events, without doubling a trailing slash', async () => {
    process.env.META_GRAPH_URL = 'http://127.0.0.1:9/'
    const production = interceptEvents()
    const sandbox = interceptEvents({ host: 'http://127.0.0.1:9' })

    await sendReference()

    expect(production.requests).toHaveLength(0)
    expect(sandbox.requests).toHaveLength(1)
    expect(sandbox.requests[0].path).toBe(`/v26.0/${PIXEL_ID}/events`)
    expect(sandbox.requests[0].authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
    expect(sandbox.requests[0].body).toEqual(referenceRequestBody)
  })

  it('replaces it for the pixel read of testAuthentication too', async () => {
    process.env.META_GRAPH_URL = 'http://127.0.0.1:9'
    const paths: string[] = []
    nock('http://127.0.0.1:9')
      .get(`/v26.0/${PIXEL_ID}`)
      .query(true)
      .reply((uri) => {
        paths.push(uri)
        return [200, { id: PIXEL_ID, name: 'Sandbox pixel' }]
      })

    await new Destination(definition).testAuthentication(settings)

    expect(paths).toEqual([`/v26.0/${PIXEL_ID}?fields=id,name`])
  })

  it('gives way to the graphUrl a definition was created with', async () => {
    process.env.META_GRAPH_URL = 'http://127.0.0.1:9'
    const overridden = interceptEvents({ host: 'http://127.0.0.1:9' })
    const explicit = interceptEvents({ host: 'http://127.0.0.1:8' })

    await sendReference({}, {}, createDefinition({ graphUrl: 'http://127.0.0.1:8' }))

    expect(overridden.requests).toHaveLength(0)
    expect(explicit.requests.map((request) => request.path)).toEqual([`/v26.0/${PIXEL_ID}/events`])
  })
})
