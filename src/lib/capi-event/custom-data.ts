import { normaliseCurrency } from './currency'
import { DELIVERY_CATEGORIES } from './meta-constants'
import type { CapiContent, CommerceInput, ContentInput } from './types'

export type CustomDataResult = { ok: true; customData?: Record<string, unknown> } | { ok: false; error: string }

// Free-form custom properties must never carry raw customer information to Meta: these keys are dropped.
const PII_KEY =
  /^(e-?mail|phone|mobile|first_?name|last_?name|full_?name|user_?name|birthday|birth_?date|date_?of_?birth|dob|gender|address|street|city|state|zip|zip_?code|postal_?code|country|ip|ip_?address|user_?agent|ssn|password)$/i
const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/
// Keys that belong elsewhere in the server event (user_data or the event itself), not in custom data.
const EVENT_LEVEL_KEY = /^(fbc|fbp|fbclid|action_source|event_id|event_time|event_source_url)$/i
// Events for which Meta documents num_items.
const COUNTS_ITEMS = new Set(['InitiateCheckout', 'Purchase'])
// Events whose worth is what is being bought; viewing a list of products is worth nothing like their sum.
const VALUED_BY_CONTENTS = new Set(['AddToCart', 'AddToWishlist', 'InitiateCheckout', 'AddPaymentInfo', 'Purchase'])

function isDeliveryCategory(value: string): boolean {
  return (DELIVERY_CATEGORIES as readonly string[]).includes(value)
}

/** A nested custom value without personal information at any depth; undefined when it is itself personal. */
function withoutPersonalData(value: unknown): unknown {
  if (typeof value === 'string') return EMAIL_LIKE.test(value) ? undefined : value
  if (Array.isArray(value)) return value.map(withoutPersonalData).filter((item) => item !== undefined)
  if (value === null || typeof value !== 'object') return value
  const kept: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    const safeItem = PII_KEY.test(key) ? undefined : withoutPersonalData(item)
    if (safeItem !== undefined) kept[key] = safeItem
  }
  return kept
}

function safeCustomProperties(custom: Record<string, unknown> | undefined): Record<string, unknown> {
  const safe: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(custom ?? {})) {
    if (PII_KEY.test(key) || EVENT_LEVEL_KEY.test(key) || (typeof value === 'string' && EMAIL_LIKE.test(value)))
      continue
    // Objects and arrays are cleaned too: an email nested in them would reach Meta just the same.
    safe[key] = withoutPersonalData(value)
  }
  return safe
}

type ContentsResult = { ok: true; contents?: CapiContent[] } | { ok: false; error: string }

function buildContents(items: ContentInput[] | undefined): ContentsResult {
  if (!items || items.length === 0) return { ok: true }
  const contents: CapiContent[] = []
  for (const [index, item] of items.entries()) {
    if (item.id === undefined || String(item.id).trim() === '') {
      return { ok: false, error: `contents[${index}] has no id; Meta requires an id (product ID or SKU) on every item` }
    }
    if (item.delivery_category !== undefined && !isDeliveryCategory(item.delivery_category)) {
      return {
        ok: false,
        error: `contents[${index}].delivery_category must be one of ${DELIVERY_CATEGORIES.join(', ')}`
      }
    }
    contents.push({
      id: String(item.id).trim(),
      // Meta requires a quantity on every item; one is what a line without a count means.
      quantity: item.quantity ?? 1,
      ...(item.item_price !== undefined && { item_price: item.item_price }),
      ...(item.delivery_category !== undefined && { delivery_category: item.delivery_category })
    })
  }
  return { ok: true, contents }
}

// Removes binary floating-point noise such as 0.30000000000000004 from summed prices.
function roundMoney(amount: number): number {
  return Math.round(amount * 1e6) / 1e6
}

function sumOfContents(contents: CapiContent[] | undefined): number | undefined {
  if (!contents || contents.some((item) => item.item_price === undefined)) return undefined
  return roundMoney(contents.reduce((sum, item) => sum + (item.item_price ?? 0) * item.quantity, 0))
}

type CurrencyResult = { ok: true; currency?: string } | { ok: false; error: string }

function resolveCurrency(given: string | undefined, hasValue: boolean, defaultCurrency?: string): CurrencyResult {
  const raw = given ?? (hasValue ? defaultCurrency : undefined)
  if (raw === undefined || raw.trim() === '') return { ok: true }
  const currency = normaliseCurrency(raw)
  return currency ? { ok: true, currency } : { ok: false, error: `currency "${raw}" is not an ISO-4217 code` }
}

/**
 * Meta's custom_data: typed commerce fields win over same-named custom properties;
 * value, content_ids and num_items are derived from contents when the mapping leaves them out.
 */
export function buildCustomData(eventName: string, input: CommerceInput, defaultCurrency?: string): CustomDataResult {
  const contents = buildContents(input.contents)
  if (!contents.ok) return contents
  const value = input.value ?? (VALUED_BY_CONTENTS.has(eventName) ? sumOfContents(contents.contents) : undefined)
  const currency = resolveCurrency(input.currency, value !== undefined, defaultCurrency)
  if (!currency.ok) return currency
  if (input.delivery_category !== undefined && !isDeliveryCategory(input.delivery_category)) {
    return { ok: false, error: `delivery_category must be one of ${DELIVERY_CATEGORIES.join(', ')}` }
  }
  const contentIds = input.content_ids?.map(String) ?? contents.contents?.map((item) => item.id)
  const numItems =
    input.num_items ??
    (COUNTS_ITEMS.has(eventName) ? contents.contents?.reduce((sum, item) => sum + item.quantity, 0) : undefined)
  const typed: Record<string, unknown> = {
    value,
    currency: currency.currency,
    content_ids: contentIds?.length ? contentIds : undefined,
    contents: contents.contents,
    content_type: input.content_type,
    content_name: input.content_name,
    content_category: input.content_category,
    num_items: numItems,
    order_id: input.order_id === undefined ? undefined : String(input.order_id),
    predicted_ltv: input.predicted_ltv,
    search_string: input.search_string,
    status: input.status,
    delivery_category: input.delivery_category,
    net_revenue: input.net_revenue
  }
  const customData = { ...safeCustomProperties(input.custom_data), ...withoutUndefined(typed) }
  return { ok: true, customData: Object.keys(customData).length > 0 ? customData : undefined }
}

export function withoutUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>
}
