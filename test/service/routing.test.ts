/**
 * The runner's choice of events and names (README "Choosing which events go"), through the ingest service: a source's
 * configuration with an event map, custom events, a deny list, consent and chosen presets, fed by Segment's and
 * RudderStack's HTTP API and by Amplitude's, checked by what the sandbox (standing in for Meta) received.
 */
import { loadServiceSources } from '../../src/runner/config'
import {
  amplitudePurchase,
  API_KEY,
  basicAuth,
  call,
  orderCompleted,
  PIXEL_ID,
  startHarness,
  WRITE_KEY
} from './support'
import type { Harness } from './support'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROUTING = {
  presets: ['Purchase', 'Page view'],
  eventMap: { Purchased: 'Purchase', 'Promo Clicked': 'PromoClick' },
  customEvents: { allow: ['Video Played'], deny: ['Internal Test'] },
  consent: { categories: ['Advertising'], onDenied: 'skip' }
}

let harness: Harness & { stop(): Promise<void> }

/** The source entry read through the loader the service uses, so the config keys are checked as `serve` does. */
function routedSources() {
  const dir = mkdtempSync(join(tmpdir(), 'routing-config-'))
  const file = join(dir, 'service.json')
  writeFileSync(
    file,
    JSON.stringify({ pixelId: PIXEL_ID, accessToken: 'token', writeKeys: [WRITE_KEY, API_KEY], ...ROUTING })
  )
  return loadServiceSources({ file, env: {} }).sources
}

beforeEach(async () => {
  harness = await startHarness({ sources: routedSources() })
})
afterEach(() => harness.stop())

function received(): [string, string][] {
  return harness.sandbox.received().map((r) => [r.event.event_name as string, r.event.event_id as string])
}

describe('routing through the ingest service', () => {
  it('renames, allows, denies and honours consent for Segment and RudderStack messages', async () => {
    const rudderDenied = orderCompleted('m-rudder-denied', {
      channel: 'server',
      context: {
        ...(orderCompleted('x').context as object),
        consentManagement: { provider: 'oneTrust', deniedConsentIds: ['Advertising'] }
      }
    })
    const segmentDenied = orderCompleted('m-segment-denied', {
      context: {
        ...(orderCompleted('x').context as object),
        consent: { categoryPreferences: { Advertising: false } }
      }
    })
    const answer = await call(`${harness.service.url}/v1/batch`, {
      headers: { authorization: basicAuth(WRITE_KEY) },
      body: {
        batch: [
          orderCompleted('m-order'),
          orderCompleted('m-purchased', { event: 'purchased' }),
          orderCompleted('m-promo', { event: 'Promo Clicked', properties: { promo_id: 'spring' } }),
          orderCompleted('m-video', { event: 'Video Played', properties: { video_id: 'v-1' } }),
          orderCompleted('m-paused', { event: 'Video Paused' }),
          orderCompleted('m-internal', { event: 'Internal Test' }),
          orderCompleted('m-viewed', { event: 'Product Viewed', properties: { product_id: 'p-1', price: 5 } }),
          segmentDenied,
          rudderDenied
        ]
      }
    })

    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ delivered: 4, skipped: 5, failed: 0 })
    expect(received().sort()).toEqual(
      [
        ['Purchase', 'm-order'],
        ['Purchase', 'm-purchased'],
        ['PromoClick', 'm-promo'],
        ['Video Played', 'm-video']
      ].sort()
    )
    const promo = harness.sandbox.received().find((r) => r.event.event_id === 'm-promo')
    expect(promo?.event.custom_data).toEqual({ promo_id: 'spring' })
  })

  it('applies the deny list and the event map to Amplitude events by the name Amplitude sent', async () => {
    const answer = await call(`${harness.service.url}/2/httpapi`, {
      body: {
        api_key: API_KEY,
        events: [
          amplitudePurchase('a-purchased', { event_type: 'Purchased' }),
          amplitudePurchase('a-internal', { event_type: 'Internal Test' })
        ]
      }
    })

    expect(answer.status).toBe(200)
    expect(received()).toEqual([['Purchase', 'a-purchased']])
  })
})
