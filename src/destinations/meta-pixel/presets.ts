import { defaultValues } from '@segment/actions-core'
import type { JSONObject, Preset } from '@segment/actions-core'
import { contentsFrom, firstOf, path, unlessPresent } from './sendEvent/directives'
import type { FieldValue } from './sendEvent/directives'
import { fields } from './sendEvent/fields'

type MappingOverrides = Record<string, FieldValue | undefined>

interface PresetSpec {
  name: string
  /** The Segment-spec event name, then Meta's own name where it differs, so apps that already send it are matched. */
  events: string[]
  metaEvent: string
  overrides?: MappingOverrides
}

const singleProduct: MappingOverrides = {
  contents: contentsFrom('$.properties'),
  content_type: 'product',
  content_name: path('$.properties.name'),
  content_category: path('$.properties.category')
}

const trackPresets: PresetSpec[] = [
  { name: 'Search', events: ['Products Searched', 'Search'], metaEvent: 'Search' },
  {
    name: 'View product list',
    events: ['Product List Viewed'],
    metaEvent: 'ViewContent',
    overrides: { content_type: 'product', content_category: path('$.properties.category') }
  },
  {
    name: 'View product',
    events: ['Product Viewed', 'ViewContent'],
    metaEvent: 'ViewContent',
    overrides: { ...singleProduct, value: firstOf('$.properties.value', '$.properties.price') }
  },
  // With a price, value is left unmapped so it becomes price × quantity of the single product line; without one,
  // the product's value or revenue is the event's worth.
  {
    name: 'Add to cart',
    events: ['Product Added', 'AddToCart'],
    metaEvent: 'AddToCart',
    overrides: {
      ...singleProduct,
      value: unlessPresent('$.properties.price', '$.properties.value', '$.properties.revenue')
    }
  },
  {
    name: 'Add to wishlist',
    events: ['Product Added to Wishlist', 'AddToWishlist'],
    metaEvent: 'AddToWishlist',
    overrides: { ...singleProduct, value: undefined }
  },
  {
    name: 'Initiate checkout',
    events: ['Checkout Started', 'InitiateCheckout'],
    metaEvent: 'InitiateCheckout',
    overrides: {
      value: firstOf('$.properties.revenue', '$.properties.value', '$.properties.total'),
      content_type: 'product'
    }
  },
  {
    name: 'Add payment info',
    events: ['Payment Info Entered', 'AddPaymentInfo'],
    metaEvent: 'AddPaymentInfo',
    overrides: { value: firstOf('$.properties.revenue', '$.properties.value', '$.properties.total') }
  },
  {
    name: 'Purchase',
    events: ['Order Completed', 'Purchase'],
    metaEvent: 'Purchase',
    overrides: {
      value: firstOf('$.properties.revenue', '$.properties.total', '$.properties.value'),
      content_type: 'product'
    }
  },
  {
    name: 'Complete registration',
    events: ['Signed Up', 'CompleteRegistration'],
    metaEvent: 'CompleteRegistration',
    overrides: { status: path('$.properties.status') }
  },
  {
    name: 'Start trial',
    events: ['Trial Started', 'StartTrial'],
    metaEvent: 'StartTrial',
    overrides: { predicted_ltv: path('$.properties.predicted_ltv') }
  },
  {
    name: 'Subscribe',
    events: ['Subscription Started', 'Subscribe'],
    metaEvent: 'Subscribe',
    overrides: { predicted_ltv: path('$.properties.predicted_ltv') }
  },
  ...['Lead', 'Contact', 'Schedule', 'SubmitApplication', 'Donate', 'FindLocation', 'CustomizeProduct'].map(
    (metaEvent): PresetSpec => ({
      name: metaEvent,
      events: [metaEvent],
      metaEvent
    })
  )
]

/**
 * What a marketer reads and edits in a host's UI: the Segment-spec name and Meta's own, compared exactly (a host's
 * FQL is case-sensitive). The runner also tolerates case and separators (src/runner/routing.ts).
 */
export function trackSubscription(eventNames: string[]): string {
  const clauses = eventNames.map((name) => `event = "${name}"`)
  return `type = "track" and ${clauses.length === 1 ? clauses[0] : `(${clauses.join(' or ')})`}`
}

/** A preset's mapping: the one action's defaults, with the event name fixed and its own overrides. */
export function presetMapping(metaEvent: string, overrides: MappingOverrides = {}): JSONObject {
  const mapping: Record<string, unknown> = { ...defaultValues(fields), event_name: metaEvent, ...overrides }
  return Object.fromEntries(Object.entries(mapping).filter(([, value]) => value !== undefined)) as JSONObject
}

export const presets: Preset[] = [
  {
    name: 'Page view',
    subscribe: 'type = "page"',
    partnerAction: 'sendEvent',
    mapping: presetMapping('PageView'),
    type: 'automatic'
  },
  ...trackPresets.map((spec): Preset => ({
    name: spec.name,
    subscribe: trackSubscription(spec.events),
    partnerAction: 'sendEvent',
    mapping: presetMapping(spec.metaEvent, spec.overrides),
    type: 'automatic'
  }))
]
