import { defaultValues } from '@segment/actions-core'
import type { JSONObject, Preset } from '@segment/actions-core'
import { contentsFrom, firstOf, path, unlessPresent } from './sendEvent/directives'
import type { FieldValue } from './sendEvent/directives'
import { fields } from './sendEvent/fields'

type MappingOverrides = Record<string, FieldValue | undefined>

interface PresetSpec {
  name: string
  /** Segment-spec event names; Meta's own name is listed too so apps that already send it are matched. */
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

function words(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()

/**
 * Subscriptions compare names exactly, so the spellings apps and RudderStack users send are listed:
 * "Order Completed", "order completed", "order_completed", "order-completed", "OrderCompleted", "orderCompleted"…
 */
export function nameVariants(name: string): string[] {
  const parts = words(name)
  const casings = [
    parts,
    parts.map(capitalise),
    parts.map((word) => word.toLowerCase()),
    parts.map((word) => word.toUpperCase()),
    parts.map((word, index) => (index === 0 ? capitalise(word) : word.toLowerCase())),
    parts.map((word, index) => (index === 0 ? word.toLowerCase() : capitalise(word)))
  ]
  const variants = new Set<string>([name])
  for (const casing of casings) for (const separator of [' ', '_', '-', '']) variants.add(casing.join(separator))
  return [...variants]
}

export function trackSubscription(eventNames: string[]): string {
  const names = [...new Set(eventNames.flatMap(nameVariants))]
  return `type = "track" and (${names.map((name) => `event = "${name}"`).join(' or ')})`
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
