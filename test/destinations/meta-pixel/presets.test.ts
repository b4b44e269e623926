import { join } from 'node:path'
import { defaultValues, Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { parseFql } from '@segment/destination-subscriptions'
import definition from '../../../src'
import { loadFixtures } from '../../../src/conformance/load'
import { fields } from '../../../src/destinations/meta-pixel/sendEvent/fields'
import type { RunnerConfig } from '../../../src/runner/config'
import { Engine } from '../../../src/runner/engine'
import { eventNameKey, subscribedEventNames } from '../../../src/runner/event-names'
import { buildRoutes } from '../../../src/runner/routing'
import { referenceOrderCompleted, referenceRequestBody, settings, atFrozenTimeWithoutNetwork } from '../../helpers'
import { allPresets, asSegmentEvent, interceptEvents, presetNamed } from './support'

/** One preset case: a Segment event and the exact request Meta must receive (hashes from golden-vectors.json). */
interface PresetFixture {
  file: string
  preset: string
  description: string
  settings?: Record<string, unknown>
  event: JSONObject
  request: Record<string, unknown>
}

// The conformance fixtures written for one preset (they carry `preset`), in the one fixture format.
const FIXTURES = join(__dirname, '..', '..', '..', 'conformance', 'fixtures', 'presets')
const fixtures: PresetFixture[] = loadFixtures(FIXTURES).flatMap((loaded) => {
  if (!loaded.ok) throw new Error(`${loaded.file}: ${loaded.error}`)
  const { preset, description, settings: overrides, inputs, expected } = loaded.fixture
  if (preset === undefined) return []
  if (inputs.length !== 1 || !expected.request)
    throw new Error(`${loaded.file}: a preset fixture is one input, one request`)
  return [
    {
      file: loaded.file,
      preset,
      description: description ?? '',
      settings: overrides,
      event: inputs[0] as JSONObject,
      request: expected.request
    }
  ]
})

/**
 * What each preset sends and which mapping keys it sets differently from the action's defaults.
 * Written from presets.ts' intent (meta-capi.md §13.1), so a preset that drifts from it fails here.
 */
const PRESETS: Record<string, { eventName: string; overrides: string[] }> = {
  'Page view': { eventName: 'PageView', overrides: [] },
  Search: { eventName: 'Search', overrides: [] },
  'View product list': { eventName: 'ViewContent', overrides: ['content_type', 'content_category'] },
  'View product': {
    eventName: 'ViewContent',
    overrides: ['contents', 'content_type', 'content_name', 'content_category', 'value']
  },
  'Add to cart': {
    eventName: 'AddToCart',
    overrides: ['contents', 'content_type', 'content_name', 'content_category', 'value']
  },
  'Add to wishlist': {
    eventName: 'AddToWishlist',
    overrides: ['contents', 'content_type', 'content_name', 'content_category', 'value']
  },
  'Initiate checkout': { eventName: 'InitiateCheckout', overrides: ['value', 'content_type'] },
  'Add payment info': { eventName: 'AddPaymentInfo', overrides: ['value'] },
  Purchase: { eventName: 'Purchase', overrides: ['value', 'content_type'] },
  'Complete registration': { eventName: 'CompleteRegistration', overrides: ['status'] },
  'Start trial': { eventName: 'StartTrial', overrides: ['predicted_ltv'] },
  Subscribe: { eventName: 'Subscribe', overrides: ['predicted_ltv'] },
  Lead: { eventName: 'Lead', overrides: [] },
  Contact: { eventName: 'Contact', overrides: [] },
  Schedule: { eventName: 'Schedule', overrides: [] },
  SubmitApplication: { eventName: 'SubmitApplication', overrides: [] },
  Donate: { eventName: 'Donate', overrides: [] },
  FindLocation: { eventName: 'FindLocation', overrides: [] },
  CustomizeProduct: { eventName: 'CustomizeProduct', overrides: [] }
}

atFrozenTimeWithoutNetwork()

/** The spelling a host subscription compares exactly: the preset's own name for the fixture's event name. */
function inHostSpelling(fixture: PresetFixture): SegmentEvent {
  const event = asSegmentEvent(fixture.event)
  if (event.type !== 'track') return event
  const names = subscribedEventNames(parseFql(presetNamed(fixture.preset).subscribe as string))
  const own = names.find((name) => eventNameKey(name) === eventNameKey(event.event as string))
  if (!own) throw new Error(`${fixture.file}: ${event.event} is no spelling of ${names.join(', ')}`)
  return { ...event, event: own }
}

describe('preset fixtures: a Segment event through its preset gives the exact request', () => {
  it('covers every preset with at least one fixture', () => {
    const presetNames = (definition.presets ?? []).map((preset) => preset.name)
    expect(new Set(fixtures.map((fixture) => fixture.preset))).toEqual(new Set(presetNames))
    expect(presetNames).toHaveLength(19)
  })

  it.each(fixtures)('$file: $description (in a host, named as the preset subscribes)', async (fixture) => {
    const meta = interceptEvents()
    const destination = new Destination(definition)

    const results = await destination.onEvent(inHostSpelling(fixture), {
      ...settings,
      ...fixture.settings,
      subscription: presetNamed(fixture.preset)
    })

    expect(meta.requests).toHaveLength(1)
    expect(meta.requests[0].body).toEqual(fixture.request)
    expect(results.at(-1)).toMatchObject({ output: 'Action Executed' })
  })

  it.each(fixtures)('$file is sent once, by its own preset only, when every preset is subscribed', async (fixture) => {
    const meta = interceptEvents()
    const destination = new Destination(definition)

    const results = await destination.onEvent(inHostSpelling(fixture), {
      ...settings,
      ...fixture.settings,
      subscriptions: allPresets()
    })

    expect(meta.requests.map((request) => request.body)).toEqual([fixture.request])
    expect(results.filter((result) => result.output === 'Action Executed')).toHaveLength(1)
  })

  it.each(fixtures)('$file, spelled as written, is routed by the runner to its preset only', async (fixture) => {
    const config = { settings: { ...settings, ...fixture.settings } as RunnerConfig['settings'], amplitudeEventMap: {} }
    const event = asSegmentEvent(fixture.event)

    const matching = buildRoutes({}).filter((route) => route.matches(event))
    const [result] = await new Engine(config).map([event], 'segment')

    expect(matching.map((route) => route.name)).toEqual([fixture.preset])
    expect(result).toEqual({ index: 0, status: 200, event: (fixture.request.data as unknown[])[0] })
  })
})

describe('preset subscriptions', () => {
  it.each([
    ['Page view', 'type = "page"'],
    ['Search', 'type = "track" and (event = "Products Searched" or event = "Search")'],
    ['View product list', 'type = "track" and event = "Product List Viewed"'],
    ['View product', 'type = "track" and (event = "Product Viewed" or event = "ViewContent")'],
    ['Add to cart', 'type = "track" and (event = "Product Added" or event = "AddToCart")'],
    ['Add to wishlist', 'type = "track" and (event = "Product Added to Wishlist" or event = "AddToWishlist")'],
    ['Initiate checkout', 'type = "track" and (event = "Checkout Started" or event = "InitiateCheckout")'],
    ['Add payment info', 'type = "track" and (event = "Payment Info Entered" or event = "AddPaymentInfo")'],
    ['Purchase', 'type = "track" and (event = "Order Completed" or event = "Purchase")'],
    ['Complete registration', 'type = "track" and (event = "Signed Up" or event = "CompleteRegistration")'],
    ['Start trial', 'type = "track" and (event = "Trial Started" or event = "StartTrial")'],
    ['Subscribe', 'type = "track" and (event = "Subscription Started" or event = "Subscribe")'],
    ['Lead', 'type = "track" and event = "Lead"'],
    ['Contact', 'type = "track" and event = "Contact"'],
    ['Schedule', 'type = "track" and event = "Schedule"'],
    ['SubmitApplication', 'type = "track" and event = "SubmitApplication"'],
    ['Donate', 'type = "track" and event = "Donate"'],
    ['FindLocation', 'type = "track" and event = "FindLocation"'],
    ['CustomizeProduct', 'type = "track" and event = "CustomizeProduct"']
  ])('%s subscribes, readably, to %s', (name, subscribe) => {
    expect(presetNamed(name).subscribe).toBe(subscribe)
  })

  it.each(['Order Completed', 'Purchase'])('in a host, the Purchase preset matches %p', async (name) => {
    const meta = interceptEvents()
    const destination = new Destination(definition)

    await destination.onEvent(
      { ...referenceOrderCompleted(), event: name },
      { ...settings, subscription: presetNamed('Purchase') }
    )

    expect(meta.requests.map((request) => request.body)).toEqual([referenceRequestBody])
  })

  // A host's FQL compares names exactly; the other spellings are the runner's tolerance (test/runner/event-names).
  it.each(['order completed', 'order_completed', 'OrderCompleted'])(
    'in a host, the Purchase preset does not match %p (a host user adds it to the subscription)',
    async (name) => {
      const meta = interceptEvents()
      const destination = new Destination(definition)

      const results = await destination.onEvent(
        { ...referenceOrderCompleted(), event: name },
        { ...settings, subscription: presetNamed('Purchase') }
      )

      expect(results).toEqual([{ output: 'not subscribed' }])
      expect(meta.requests).toHaveLength(0)
    }
  )

  it.each([
    ['Purchase', 'track "Order Refunded"', { ...referenceOrderCompleted(), event: 'Order Refunded' }],
    ['Purchase', 'track "Checkout Started"', { ...referenceOrderCompleted(), event: 'Checkout Started' }],
    ['Purchase', 'track "Order Completed Twice"', { ...referenceOrderCompleted(), event: 'Order Completed Twice' }],
    [
      'Purchase',
      'a page named "Order Completed"',
      { ...referenceOrderCompleted(), type: 'page', event: undefined, name: 'Order Completed' }
    ],
    ['Page view', 'track "Page Viewed"', { ...referenceOrderCompleted(), event: 'Page Viewed' }],
    ['Lead', 'track "Leads"', { ...referenceOrderCompleted(), event: 'Leads' }]
  ])('the %s preset does not send %s', async (preset, _label, event) => {
    const meta = interceptEvents()
    const destination = new Destination(definition)

    const results = await destination.onEvent(asSegmentEvent(event), { ...settings, subscription: presetNamed(preset) })

    expect(results).toEqual([{ output: 'not subscribed' }])
    expect(meta.requests).toHaveLength(0)
  })

  it('sends nothing for an event no preset subscribes to', async () => {
    const meta = interceptEvents()
    const destination = new Destination(definition)
    const refunded = { ...referenceOrderCompleted(), event: 'Order Refunded' }
    const identify = { ...referenceOrderCompleted(), type: 'identify', event: undefined }

    for (const event of [refunded, identify]) {
      const results = await destination.onEvent(asSegmentEvent(event), { ...settings, subscriptions: allPresets() })
      expect(results.every((result) => result.output === 'not subscribed')).toBe(true)
      expect(results).toHaveLength(19)
    }
    expect(meta.requests).toHaveLength(0)
  })
})

describe('presets are built from the one action', () => {
  const defaults = defaultValues(fields) as Record<string, unknown>
  const presets = definition.presets ?? []

  it('has exactly one action, sendEvent, and every preset uses it automatically', () => {
    expect(Object.keys(definition.actions)).toEqual(['sendEvent'])
    for (const preset of presets) {
      expect(preset).toMatchObject({ type: 'automatic', partnerAction: 'sendEvent' })
    }
    expect(presets.map((preset) => preset.name).sort()).toEqual(Object.keys(PRESETS).sort())
  })

  it.each(Object.entries(PRESETS))('%s: event name and overrides on top of defaultValues(fields)', (name, spec) => {
    const mapping = presetNamed(name).mapping as Record<string, unknown>
    const fieldKeys = Object.keys(fields)

    expect(mapping.event_name).toBe(spec.eventName)
    for (const key of Object.keys(mapping)) expect(fieldKeys).toContain(key)
    for (const [key, value] of Object.entries(defaults)) {
      if (key === 'event_name' || spec.overrides.includes(key)) continue
      expect({ key, value: mapping[key] }).toEqual({ key, value })
    }
    // An override replaces the default, or removes it (Add to cart leaves value to be computed from the product).
    for (const key of spec.overrides) {
      expect({
        key,
        overridden: JSON.stringify(mapping[key]) !== JSON.stringify(defaults[key])
      }).toEqual({
        key,
        overridden: true
      })
    }
    const unexpected = Object.keys(mapping).filter(
      (key) => key !== 'event_name' && !spec.overrides.includes(key) && !(key in defaults)
    )
    expect(unexpected).toEqual([])
  })
})
