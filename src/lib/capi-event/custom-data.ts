import { containsEmail } from '../email-like'
import { normaliseCurrency } from './currency'
import { CONTENT_TYPES, DELIVERY_CATEGORIES } from '../contract/meta-constants'
import type { CapiContent, CommerceInput, ContentInput, Diagnostic } from './types'

export type CustomDataResult =
  { ok: true; customData?: Record<string, unknown>; diagnostics: Diagnostic[] } | { ok: false; error: string }

// Free-form custom properties must never carry raw customer information. A key is personal when one of its words
// (split at case changes, _, -, . and spaces) names contact or identity data, or when "name" is qualified by a
// person word: customer_name and billingAddress are dropped, product_name and plan are kept.
const PERSONAL_WORDS = new Set([
  'email',
  'phone',
  'mobile',
  'tel',
  'telephone',
  'fax',
  'address',
  'street',
  'zip',
  'zipcode',
  'postcode',
  'postal',
  'city',
  'birthday',
  'birthdate',
  'dob',
  'birth',
  'gender',
  'ssn',
  'password',
  'passport',
  'ip',
  'useragent',
  'surname',
  'firstname',
  'lastname',
  'fullname',
  'username'
])
const PERSON_WORDS = new Set([
  'first',
  'last',
  'full',
  'middle',
  'given',
  'family',
  'customer',
  'user',
  'person',
  'contact',
  'billing',
  'shipping',
  'recipient',
  'buyer',
  'member',
  'client',
  'display',
  'maiden'
])
const PERSONAL_KEYS = new Set(['state', 'country'])

function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

export function isPersonalKey(key: string): boolean {
  const words = keyWords(key)
  if (words.some((word) => PERSONAL_WORDS.has(word))) return true
  if (words.length === 1 && PERSONAL_KEYS.has(words[0])) return true
  if (PERSONAL_WORDS.has(words.join(''))) return true
  return words.includes('name') && words.some((word) => PERSON_WORDS.has(word))
}

// Keys that belong elsewhere in the server event (user_data or the event itself), not in custom data.
const EVENT_LEVEL_KEY = /^(fbc|fbp|fbclid|action_source|event_id|event_time|event_source_url)$/i
// Events for which Meta documents num_items.
const COUNTS_ITEMS = new Set(['InitiateCheckout', 'Purchase'])
// Events whose worth is what is being bought; viewing a list of products is worth nothing like their sum.
const VALUED_BY_CONTENTS = new Set(['AddToCart', 'AddToWishlist', 'InitiateCheckout', 'AddPaymentInfo', 'Purchase'])

/**
 * A value Meta takes only from a fixed list: kept when it is one of them, else left out with a diagnostic (the
 * event still goes; Meta would reject the whole request for it).
 */
function oneOf(
  value: string | undefined,
  allowed: readonly string[],
  field: string,
  diagnostics: Diagnostic[]
): string | undefined {
  if (value === undefined || allowed.includes(value)) return value
  diagnostics.push({ field, reason: `not one of ${allowed.join(', ')}` })
  return undefined
}

/** A custom value without personal information at any depth; undefined when it is itself personal. */
function withoutPersonalData(value: unknown): unknown {
  if (typeof value === 'string') return containsEmail(value) ? undefined : value
  if (Array.isArray(value)) return value.map(withoutPersonalData).filter((item) => item !== undefined)
  if (value === null || typeof value !== 'object') return value
  const kept: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    const safeItem = isPersonalKey(key) ? undefined : withoutPersonalData(item)
    if (safeItem !== undefined) kept[key] = safeItem
  }
  return kept
}

function safeCustomProperties(custom: Record<string, unknown> | undefined): Record<string, unknown> {
  const ownKeys = Object.entries(custom ?? {}).filter(([key]) => !EVENT_LEVEL_KEY.test(key))
  return withoutPersonalData(Object.fromEntries(ownKeys)) as Record<string, unknown>
}

function hasId(item: ContentInput): boolean {
  return item.id !== undefined && item.id !== null && String(item.id).trim() !== ''
}

/**
 * Meta's contents items. Meta rejects a whole request for an item without an id, so such an item is left out
 * (an event without product IDs is still worth sending), as is an invalid delivery_category on an item.
 */
function buildContents(items: ContentInput[] | undefined, diagnostics: Diagnostic[]): CapiContent[] | undefined {
  if (!items || items.length === 0) return undefined
  const contents: CapiContent[] = []
  for (const [index, item] of items.entries()) {
    if (!hasId(item)) {
      diagnostics.push({
        field: `custom_data.contents[${index}]`,
        reason: 'no id (product ID or SKU), which Meta requires'
      })
      continue
    }
    const field = `custom_data.contents[${index}].delivery_category`
    const category = oneOf(item.delivery_category, DELIVERY_CATEGORIES, field, diagnostics)
    contents.push({
      id: String(item.id).trim(),
      // Meta requires a quantity on every item; one is what a line without a count means.
      quantity: item.quantity ?? 1,
      ...(item.item_price !== undefined && { item_price: item.item_price }),
      ...(category !== undefined && { delivery_category: category })
    })
  }
  return contents.length > 0 ? contents : undefined
}

// Removes binary floating-point noise such as 0.30000000000000004 from summed prices.
function roundMoney(amount: number): number {
  return Math.round(amount * 1e6) / 1e6
}

/** Price × quantity over every product line, with or without an id: a line without an id still has its worth. */
function sumOfItems(items: ContentInput[] | undefined): number | undefined {
  if (!items || items.length === 0 || items.some((item) => typeof item.item_price !== 'number')) return undefined
  return roundMoney(items.reduce((sum, item) => sum + (item.item_price ?? 0) * (item.quantity ?? 1), 0))
}

type CurrencyResult = { ok: true; currency?: string } | { ok: false; error: string }

function resolveCurrency(given: string | undefined, hasValue: boolean, defaultCurrency?: string): CurrencyResult {
  const raw = given ?? (hasValue ? defaultCurrency : undefined)
  if (raw === undefined || raw.trim() === '') return { ok: true }
  const currency = normaliseCurrency(raw)
  if (currency) return { ok: true, currency }
  // The value is quoted only when it is code-sized: whatever longer text was mapped here may be personal data.
  const shown = /^[A-Za-z$€£¥]{1,4}$/.test(raw.trim()) ? ` "${raw.trim()}"` : ''
  return { ok: false, error: `currency${shown} is not an ISO-4217 code` }
}

/**
 * Meta's custom_data: typed commerce fields win over same-named custom properties;
 * value, content_ids and num_items are derived from contents when the mapping leaves them out.
 */
export function buildCustomData(eventName: string, input: CommerceInput, defaultCurrency?: string): CustomDataResult {
  const diagnostics: Diagnostic[] = []
  const contents = buildContents(input.contents, diagnostics)
  const value = input.value ?? (VALUED_BY_CONTENTS.has(eventName) ? sumOfItems(input.contents) : undefined)
  const currency = resolveCurrency(input.currency, value !== undefined, defaultCurrency)
  if (!currency.ok) return currency
  const contentIds = input.content_ids?.map(String) ?? contents?.map((item) => item.id)
  const numItems =
    input.num_items ??
    (COUNTS_ITEMS.has(eventName) && input.contents?.length
      ? input.contents.reduce((sum, item) => sum + (item.quantity ?? 1), 0)
      : undefined)
  const typed: Record<string, unknown> = {
    value,
    currency: currency.currency,
    content_ids: contentIds?.length ? contentIds : undefined,
    contents,
    content_type: oneOf(input.content_type, CONTENT_TYPES, 'custom_data.content_type', diagnostics),
    content_name: input.content_name,
    content_category: input.content_category,
    num_items: numItems,
    order_id: input.order_id === undefined ? undefined : String(input.order_id),
    predicted_ltv: input.predicted_ltv,
    search_string: input.search_string,
    status: input.status,
    delivery_category: oneOf(
      input.delivery_category,
      DELIVERY_CATEGORIES,
      'custom_data.delivery_category',
      diagnostics
    ),
    net_revenue: input.net_revenue
  }
  const customData = { ...safeCustomProperties(input.custom_data), ...withoutUndefined(typed) }
  return { ok: true, customData: Object.keys(customData).length > 0 ? customData : undefined, diagnostics }
}

export function withoutUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  const defined: Partial<T> = {}
  for (const key in record) if (record[key] !== undefined) defined[key] = record[key]
  return defined
}
