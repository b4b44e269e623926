/** Bugs the fuzzing found, pinned as deterministic reproductions now that they are fixed. */
import { serverEventOf } from '../../src/lib/capi-event'
import { buildCustomData } from '../../src/lib/capi-event/custom-data'
import { Engine } from '../../src/runner/engine'
import { PII, piiIn } from './arbitraries'

const settings = {
  pixelId: '123456789012345',
  accessToken: 'EAAB-fuzz-token-never-printed',
  defaultActionSource: 'website'
}
const UA = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0'

function lead(messageId: string): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Lead',
    messageId,
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    userId: 'user-1',
    context: { ip: '203.0.113.7', userAgent: UA, page: { url: 'https://shop.example.com/' } },
    properties: {}
  }
}

describe('regressions found by the fuzzing', () => {
  it('the currency error does not quote the raw currency value', () => {
    const result = buildCustomData('Lead', { value: 1, currency: PII.email })
    expect(result.ok).toBe(false)
    expect(piiIn(!result.ok && result.error)).toBeUndefined()
  })

  it('a Segment event with "context": null is refused alone, not with its whole batch as a 500', async () => {
    const engine = new Engine({ settings, amplitudeEventMap: {} })
    const results = await engine.map([lead('a'), { ...lead('b'), context: null }, lead('c')], 'segment')
    expect(results.map((result) => ('status' in result ? result.status : 'skipped'))).toEqual([200, 400, 200])
  })

  it('Amplitude event properties that hold contact details under other names never reach Meta raw', async () => {
    const engine = new Engine({ settings, amplitudeEventMap: {} })
    const [result] = await engine.map(
      [
        {
          event_type: 'Order Completed',
          user_id: 'user-12345',
          time: Date.now() - 60_000,
          user_agent: UA,
          revenue: 5,
          currency: 'usd',
          event_properties: {
            '[Amplitude] Page Location': 'https://shop.example.com/',
            phone_number: PII.phone,
            customer_name: `${PII.firstName} ${PII.lastName}`,
            billing_address: PII.street
          }
        }
      ],
      'amplitude'
    )
    expect(result).toMatchObject({ status: 200 })
    expect('event' in result && piiIn(serverEventOf(result.event).custom_data)).toBeUndefined()
  })
})
