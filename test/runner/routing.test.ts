import type { SegmentEvent } from '@segment/actions-core'
import { EventRouter, PRESET_NAMES } from '../../src/runner/routing'
import type { RouteDecision } from '../../src/runner/routing'

const track = (event: string, context: Record<string, unknown> = {}) =>
  ({ type: 'track', event, properties: {}, context }) as SegmentEvent

function routeName(decision: RouteDecision): string {
  return 'skipped' in decision ? `skipped: ${decision.skipped}` : decision.route.name
}

describe('EventRouter', () => {
  it('lists the presets by the names a host shows', () => {
    expect(PRESET_NAMES).toContain('Purchase')
    expect(PRESET_NAMES).toContain('Page view')
  })

  it('refuses an unknown preset name, listing the known ones', () => {
    expect(() => new EventRouter({ presets: ['Purchases'] })).toThrow(
      /Unknown preset "Purchases"; presets are: Page view/
    )
    expect(
      () => new EventRouter({ subscriptions: [{ name: 'x', subscribe: 'type = "track"', preset: 'Nope' }] })
    ).toThrow('Subscription "x": unknown preset "Nope"')
  })

  it('refuses a subscription whose FQL does not parse', () => {
    expect(() => new EventRouter({ subscriptions: [{ name: 'Broken', subscribe: 'event = "unclosed' }] })).toThrow(
      /Invalid subscription for Broken/
    )
  })

  it("takes the user's subscriptions first, in order, then the presets", () => {
    const router = new EventRouter({
      subscriptions: [
        { name: 'First', subscribe: 'type = "track" and event = "Order Completed"', preset: 'Purchase' },
        { name: 'Second', subscribe: 'type = "track"' }
      ]
    })
    expect(routeName(router.route(track('Order Completed'), 'segment'))).toBe('First')
    expect(routeName(router.route(track('Anything'), 'segment'))).toBe('Second')
    expect(routeName(router.route({ type: 'page' } as SegmentEvent, 'segment'))).toBe('Page view')
  })

  it('starts a subscription without a preset from the action defaults (event name from the event)', () => {
    const router = new EventRouter({ subscriptions: [{ name: 'All', subscribe: 'type = "track"' }] })
    const decision = router.route(track('Webinar Joined'), 'segment')
    expect('route' in decision && decision.route.mapping.event_name).toEqual({ '@path': '$.event' })
  })

  it('renames through the event map for Segment events only; Amplitude events are renamed by the adapter', () => {
    const router = new EventRouter({ eventMap: { Purchased: 'Purchase' } })
    const decision = router.route(track('purchased'), 'segment')
    expect(routeName(decision)).toBe('Purchase')
    expect('event' in decision && decision.event.event).toBe('Purchase')
    expect(EventRouter.amplitudeEventMap({ eventMap: { Purchased: 'Purchase', A: 'B' } }, { A: 'C' })).toEqual({
      Purchased: 'Purchase',
      A: 'C'
    })
  })

  it('denies by the name the source sent, before any renaming', () => {
    const router = new EventRouter({ customEvents: { deny: ['Order Completed'] } })
    expect(routeName(router.route(track('Purchase'), 'amplitude', 'order_completed'))).toBe(
      'skipped: "order_completed" is on the deny list'
    )
    expect(routeName(router.route(track('Purchase'), 'amplitude', 'Checkout Done'))).toBe('Purchase')
  })

  it('gives events whose consent was denied one Limited Data Use route per route, so they still batch together', () => {
    const router = new EventRouter({ consent: { onDenied: 'limitedDataUse' } })
    const denied = track('Order Completed', { consent: { categoryPreferences: { Advertising: false } } })
    const first = router.route(denied, 'segment')
    const second = router.route({ ...denied, messageId: 'other' } as SegmentEvent, 'segment')
    expect('route' in first && first.route.mapping.data_processing_options).toBe(true)
    expect('route' in first && 'route' in second && first.route === second.route).toBe(true)
    expect(routeName(first)).toBe('Purchase (Limited Data Use)')
  })

  it('sends every property of an Amplitude event as custom data, as Amplitude does', () => {
    const router = new EventRouter({})
    const decision = router.route(track('Order Completed'), 'amplitude')
    expect('route' in decision && decision.route.mapping.custom_data).toEqual({ '@path': '$.properties' })
  })
})
