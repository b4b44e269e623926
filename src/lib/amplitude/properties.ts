import { compact, first, isRecord, nonBlankString, text, toNumber, type JsonObject } from './values'

/** Segment e-commerce keys the destination reads as numbers; streaming forwards them as strings. */
const NUMERIC_COMMERCE_KEYS = [
  'revenue',
  'price',
  'quantity',
  'value',
  'total',
  'subtotal',
  'tax',
  'shipping',
  'discount'
]
const NUMERIC_PRODUCT_KEYS = ['price', 'quantity']

interface AmplitudeRevenue {
  revenue?: number
  price?: number
  quantity?: number
  productId?: string
  currency?: string
  revenueType?: string
}

/**
 * Segment `properties` from Amplitude's event_properties and revenue fields. `$…` and `[Amplitude] …` keys are
 * Amplitude's own fields: the meaningful ones are mapped to Segment names, none is copied raw.
 */
export function propertiesFrom(event: JsonObject, eventProperties: JsonObject): JsonObject {
  const copied = withNumbers(customProperties(eventProperties), NUMERIC_COMMERCE_KEYS)
  const properties: JsonObject = compact({ ...copied, products: productsFrom(copied.products) }) ?? {}
  const revenue = amplitudeRevenue(event, eventProperties)
  return (
    compact({
      ...properties,
      ...compact(pageProperties(eventProperties)),
      ...compact(revenueProperties(revenue, properties)),
      currency: currencyCode(revenue.currency ?? properties.currency)
    }) ?? {}
  )
}

function customProperties(eventProperties: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(eventProperties).filter(([key]) => !key.startsWith('$') && !key.startsWith('[Amplitude]'))
  )
}

/** The record with `keys` made numbers; a value that is not numeric is dropped, since Meta rejects it anyway. */
function withNumbers(record: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(
    Object.entries(record).flatMap(([key, value]) => {
      if (!keys.includes(key)) return [[key, value]]
      const number = toNumber(value)
      return number === undefined ? [] : [[key, number]]
    })
  )
}

/** Products as an array of objects; a JSON-encoded array (how webhooks flatten arrays) is decoded. */
function productsFrom(value: unknown): JsonObject[] | undefined {
  const list = typeof value === 'string' ? parsedJson(value) : value
  if (!Array.isArray(list)) return undefined
  return list.filter(isRecord).map((product) => withNumbers(product, NUMERIC_PRODUCT_KEYS))
}

function parsedJson(value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    return undefined
  }
}

function pageProperties(eventProperties: JsonObject): JsonObject {
  return {
    title: text(eventProperties['[Amplitude] Page Title']),
    path: text(eventProperties['[Amplitude] Page Path'])
  }
}

/** HTTP V2 sends revenue at the top level; the SDKs' `revenue_amount` event sends `$`-prefixed event properties. */
function amplitudeRevenue(event: JsonObject, eventProperties: JsonObject): AmplitudeRevenue {
  const read = <T>(name: string, parse: (value: unknown) => T | undefined): T | undefined =>
    first(parse, event[name], eventProperties[`$${name}`])
  return {
    revenue: read('revenue', toNumber),
    price: read('price', toNumber),
    quantity: read('quantity', toNumber),
    productId: read('productId', text),
    currency: read('currency', nonBlankString),
    revenueType: read('revenueType', text)
  }
}

/**
 * Amplitude's revenue fields under Segment names. A given revenue wins; price × quantity (Amplitude's own rule) only
 * fills a gap. Quantity defaults to 1 for a product, as in Amplitude.
 */
function revenueProperties(amplitude: AmplitudeRevenue, properties: JsonObject): JsonObject {
  const { revenue, price, quantity, productId, revenueType } = amplitude
  const productQuantity = productId === undefined ? quantity : (quantity ?? 1)
  const product =
    productId === undefined ? undefined : compact({ product_id: productId, price, quantity: productQuantity })
  return {
    revenue: revenue ?? properties.revenue ?? (price === undefined ? undefined : price * (quantity ?? 1)),
    revenue_type: revenueType,
    product_id: productId,
    price,
    quantity: productQuantity,
    products: product && properties.products === undefined ? [product] : undefined
  }
}

function currencyCode(value: unknown): string | undefined {
  return nonBlankString(value)?.toUpperCase()
}
