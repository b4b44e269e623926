import type { SegmentEvent } from '@segment/actions-core'

/** A small seeded PRNG (mulberry32), so every run sends the same mix of shapes but different values. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Events are stamped at most this long before they are generated: inside Meta's 7-day window with 5 days to spare. */
export const TIMESTAMP_SPREAD_MS = 48 * 3600 * 1000

const FIRST_NAMES = ['Mary', 'John', 'Zoë', 'Ahmed', 'Li', 'Sofía', 'Olu', 'Anne-Marie', 'Björn', 'Priya']
const LAST_NAMES = ["O'Brien-Smith", 'Nguyen', 'García', 'Müller', 'Okafor', 'Smith', 'Kowalski', 'Tanaka', 'Dubois']
const DOMAINS = ['Gmail.com', 'example.com', 'yahoo.co.uk', 'Outlook.com', 'shop.example.org']
const ADDRESSES = [
  { city: 'Menlo Park', state: 'California', postalCode: '94035-1234', country: 'United States' },
  { city: 'New York', state: 'NY', postalCode: '10001', country: 'US' },
  { city: 'Austin', state: 'Texas', postalCode: '73301', country: 'USA' },
  { city: 'London', state: 'Greater London', postalCode: 'SW1A 1AA', country: 'United Kingdom' },
  { city: 'Berlin', state: 'Berlin', postalCode: '10115', country: 'DE' },
  { city: 'Paris', state: 'Île-de-France', postalCode: '75001', country: 'France' },
  { city: 'Toronto', state: 'Ontario', postalCode: 'M5H 2N2', country: 'Canada' },
  { city: 'São Paulo', state: 'SP', postalCode: '01000-000', country: 'Brazil' }
]
const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'
]
const CATEGORIES = ['Shoes', 'Games', 'Books', 'Kitchen', 'Garden']
// Lower-case codes exercise our normalising; Segment's destination refuses them (its currency check is case-sensitive).
const CURRENCIES = ['USD', 'usd', 'EUR', 'GBP', 'cad']
// The same mix in upper case, as Segment's destination accepts it.
const UPPER_CASE_CURRENCIES = CURRENCIES.map((code) => code.toUpperCase())

export interface GeneratorOptions {
  /**
   * Only what Segment's Meta destination accepts, for inputs both destinations must deliver (the end-to-end
   * comparison): ISO-4217 codes in upper case (its currency check is case-sensitive) and a product_id on every
   * product (it refuses an item without one; sku-only products then carry both). Default: mixed-case codes and
   * one product in five with a sku only, which our mapping handles.
   */
  segmentAccepted?: boolean
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]
}

function hex(random: () => number, length: number): string {
  let out = ''
  while (out.length < length)
    out += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0')
  return out.slice(0, length)
}

function phone(random: () => number): string {
  const digits = () => String(Math.floor(random() * 10))
  const local = Array.from({ length: 7 }, digits).join('')
  const area = `${2 + Math.floor(random() * 8)}${digits()}${digits()}`
  const formats = [
    `+1 (${area}) ${local.slice(0, 3)}-${local.slice(3)}`,
    `+1${area}${local}`,
    `001-${area}-${local}`,
    `+44 20 ${local.slice(0, 4)} ${local.slice(4)}${digits()}`
  ]
  return pick(random, formats)
}

function products(random: () => number, options: GeneratorOptions): Record<string, unknown>[] {
  const count = 1 + Math.floor(random() * 5)
  return Array.from({ length: count }, () => {
    const id = hex(random, 24)
    const product: Record<string, unknown> = {
      quantity: 1 + Math.floor(random() * 3),
      price: Math.round(random() * 20000) / 100,
      name: `Product ${id.slice(0, 6)}`,
      category: pick(random, CATEGORIES)
    }
    // Some shops send product_id, some only sku: both paths of the mapping are exercised.
    const skuOnly = random() >= 0.8
    if (!skuOnly || options.segmentAccepted) product.product_id = id
    if (skuOnly) product.sku = `SKU-${id.slice(0, 8).toUpperCase()}`
    return product
  })
}

/**
 * A realistic Segment "Order Completed", shaped like test/helpers.ts referenceOrderCompleted() but with every
 * identity, product list and timestamp varied. Timestamps fall in the last 48 hours, inside Meta's 7-day window.
 */
export function orderCompleted(
  random: () => number,
  index: number,
  nowMs: number,
  options: GeneratorOptions = {}
): SegmentEvent {
  const first = pick(random, FIRST_NAMES)
  const last = pick(random, LAST_NAMES)
  const userNumber = Math.floor(random() * 100_000)
  const lines = products(random, options)
  const revenue = Math.round(lines.reduce((sum, line) => sum + (line.price as number) * (line.quantity as number), 0))
  const fbclid = random() < 0.3 ? `?fbclid=IwAR${hex(random, 40)}` : ''
  const traits: Record<string, unknown> = {
    email: `${first}.${last.replace(/[^A-Za-z]/g, '')}${userNumber}@${pick(random, DOMAINS)}`,
    firstName: first,
    lastName: last,
    address: pick(random, ADDRESSES)
  }
  if (random() < 0.7) traits.phone = phone(random)
  return {
    type: 'track',
    event: 'Order Completed',
    timestamp: new Date(nowMs - Math.floor(random() * TIMESTAMP_SPREAD_MS)).toISOString(),
    messageId: `ajs-next-${hex(random, 8)}-${index.toString(36)}-${hex(random, 12)}`,
    userId: random() < 0.85 ? `user-${userNumber}` : undefined,
    anonymousId: `anon-${hex(random, 16)}`,
    context: {
      ip: `203.0.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`,
      userAgent: pick(random, USER_AGENTS),
      page: { url: `https://shop.example.com/checkout/thank-you${fbclid}`, referrer: 'https://shop.example.com/cart' },
      traits
    },
    properties: {
      fbp: `fb.1.${nowMs - 86_400_000}.${Math.floor(random() * 1e10)}`,
      order_id: hex(random, 24),
      revenue,
      currency: pick(random, options.segmentAccepted ? UPPER_CASE_CURRENCIES : CURRENCIES),
      products: lines
    }
  } as SegmentEvent
}

export function orderCompletedEvents(
  count: number,
  seed: number,
  nowMs = Date.now(),
  options: GeneratorOptions = {}
): SegmentEvent[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, (_, index) => orderCompleted(random, index, nowMs, options))
}
