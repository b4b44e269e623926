/**
 * Shared by the fuzz tests (not a test file itself): real Segment and Amplitude events seeded with recognisable
 * personal data, a mutation arbitrary that damages them the way real pipelines do, and a check that no error text
 * carries that personal data in the clear.
 */
import fc from 'fast-check'

/** Recognisable personal data. Hashes of it are fine in any output; the clear text is not, in any error. */
export const PII = {
  email: 'fuzz.person@example.com',
  phone: '+1 650 555 0199',
  firstName: 'Zebulon',
  lastName: 'Fuzzington',
  street: '742 Evergreen Terrace',
  birthday: '1987-06-05'
}

/** What must never show up in error text: the values and their obvious normalised forms, compared lowercase. */
const NEEDLES = [
  'fuzz.person@example.com',
  'fuzz.person',
  '650 555 0199',
  '6505550199',
  '16505550199',
  'zebulon',
  'fuzzington',
  'evergreen'
]

/** The first piece of seeded personal data found in text, or undefined. */
export function piiIn(text: unknown): string | undefined {
  if (text === undefined || text === null) return undefined
  const lower = (typeof text === 'string' ? text : safeStringify(text)).toLowerCase()
  return NEEDLES.find((needle) => lower.includes(needle))
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'

/** Valid Segment events (at the given time) of several presets, carrying the seeded personal data. */
export function segmentSeeds(nowMs: number): Record<string, unknown>[] {
  const timestamp = new Date(nowMs - 60 * 60 * 1000).toISOString()
  const context = {
    ip: '203.0.113.7',
    userAgent: UA,
    page: { url: 'https://shop.example.com/checkout?fbclid=IwAR2F4-dbP0l7Mn1Iaw', referrer: 'https://www.google.com/' },
    traits: {
      email: PII.email,
      phone: PII.phone,
      firstName: PII.firstName,
      lastName: PII.lastName,
      birthday: PII.birthday,
      gender: 'female',
      address: { street: PII.street, city: 'Springfield', state: 'Oregon', postalCode: '97403-1234', country: 'US' }
    }
  }
  const products = [
    { product_id: 'p-1', sku: 'G-32', name: 'Monopoly', price: 19, quantity: 1 },
    { product_id: 'p-2', sku: 'U-1', name: 'Uno', price: 3, quantity: 2 }
  ]
  return [
    {
      type: 'track',
      event: 'Order Completed',
      messageId: 'fuzz-order',
      timestamp,
      userId: 'user-fuzz-1',
      anonymousId: 'anon-fuzz-1',
      context,
      properties: { order_id: 'o-1', revenue: 25, currency: 'usd', products, fbp: 'fb.1.1596403881668.1116446470' }
    },
    {
      type: 'track',
      event: 'Product Added',
      messageId: 'fuzz-cart',
      timestamp,
      anonymousId: 'anon-fuzz-2',
      context,
      properties: { ...products[0], currency: 'eur' }
    },
    {
      type: 'track',
      event: 'Signed Up',
      messageId: 'fuzz-signup',
      timestamp,
      userId: 'user-fuzz-3',
      context: { ip: '203.0.113.9', userAgent: UA, page: { url: 'https://app.example.com/signup' } },
      properties: { email: PII.email, phone: PII.phone, first_name: PII.firstName, last_name: PII.lastName }
    },
    {
      type: 'page',
      name: 'Home',
      messageId: 'fuzz-page',
      timestamp,
      userId: 'user-fuzz-4',
      context,
      properties: { title: 'Home', url: 'https://shop.example.com/' }
    },
    {
      type: 'track',
      event: 'Order Completed',
      messageId: 'fuzz-app',
      timestamp,
      userId: 'user-fuzz-5',
      context: {
        ip: '203.0.113.7',
        traits: { email: PII.email },
        app: { namespace: 'com.example.shop', version: '2.3.1', build: '2301' },
        device: { advertisingId: '7A3CBEA0-BDF5-11E4-8DFC-AA07A5B093DB', adTrackingEnabled: true, model: 'iPhone15,2' },
        os: { name: 'iOS', version: '17.5' },
        screen: { width: 1179, height: 2556, density: 3 }
      },
      properties: { action_source: 'app', revenue: 4.99, currency: 'usd' }
    }
  ]
}

/** Valid Amplitude events (HTTP V2 and export format) carrying the seeded personal data. */
export function amplitudeSeeds(nowMs: number): Record<string, unknown>[] {
  const timeMs = nowMs - 60 * 60 * 1000
  const userProperties = {
    email: PII.email,
    phone: PII.phone,
    first_name: PII.firstName,
    last_name: PII.lastName,
    street: PII.street,
    fbclid: 'IwAR2F4-dbP0l7Mn1Iaw'
  }
  return [
    {
      event_type: 'Order Completed',
      user_id: 'user-fuzz-10',
      device_id: 'device-fuzz-10',
      time: timeMs,
      insert_id: 'fuzz-amp-1',
      ip: '203.0.113.7',
      user_agent: UA,
      price: 12.5,
      quantity: 2,
      revenue: 25,
      productId: 'p-9',
      currency: 'usd',
      user_properties: userProperties,
      event_properties: { '[Amplitude] Page Location': 'https://shop.example.com/thanks', coupon: 'WINTER' }
    },
    {
      event_type: '[Amplitude] Page Viewed',
      user_id: 'user-fuzz-11',
      event_time: new Date(timeMs).toISOString().replace('T', ' ').replace('Z', ''),
      $insert_id: 'fuzz-amp-2',
      uuid: '0b8f8b6e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      ip_address: '203.0.113.8',
      user_properties: userProperties,
      event_properties: {
        '[Amplitude] Page Location': 'https://shop.example.com/?fbclid=IwAR2F4-dbP0l7Mn1Iaw',
        user_agent: UA
      }
    },
    {
      event_type: 'revenue_amount',
      device_id: 'device-fuzz-12',
      time: timeMs,
      user_agent: UA,
      user_properties: { email: PII.email },
      event_properties: { $revenue: 9.99, $price: 9.99, $quantity: 1, $productId: 'sku-1', $currency: 'EUR' }
    }
  ]
}

type Path = (string | number)[]

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(key) : key]
      out.push(path)
      pathsOf(child, path, out)
    }
  }
  return out
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> | undefined {
  let current: unknown = root
  for (const key of path.slice(0, -1)) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string | number, unknown>)[key]
  }
  return current !== null && typeof current === 'object' ? (current as Record<string | number, unknown>) : undefined
}

/** A value that replaces another: everything real pipelines and attackers send. */
type Replacement = (original: unknown) => unknown

const piiValue = fc.constantFrom<unknown>(PII.email, PII.phone, PII.firstName, PII.lastName, PII.street)

const replacement: fc.Arbitrary<Replacement> = fc.oneof(
  fc.constant<Replacement>(() => null),
  fc.constant<Replacement>(() => undefined),
  fc.anything({ maxDepth: 2 }).map(
    (value): Replacement =>
      () =>
        value
  ),
  fc.jsonValue({ maxDepth: 2 }).map(
    (value): Replacement =>
      () =>
        value
  ),
  // numbers as strings and strings as numbers
  fc.constant<Replacement>((original) => (typeof original === 'number' ? String(original) : original)),
  fc.double().map(
    (number): Replacement =>
      (original) =>
        typeof original === 'string' ? number : original
  ),
  fc.constant<Replacement>((original) => (typeof original === 'string' ? Number(original) : original)),
  // type swaps
  fc.constant<Replacement>((original) => [original]),
  fc.constant<Replacement>((original) => ({ value: original })),
  fc.constant<Replacement>((original) =>
    original !== null && typeof original === 'object' ? Object.values(original) : String(original)
  ),
  fc.constant<Replacement>((original) => (typeof original === 'boolean' ? String(original) : !original)),
  // huge and unicode strings
  fc.tuple(fc.constantFrom('x', 'é', '😀', '\u0000', ' ', '9', '@'), fc.integer({ min: 1_000, max: 100_000 })).map(
    ([unit, count]): Replacement =>
      () =>
        unit.repeat(count)
  ),
  fc.string({ unit: 'binary', maxLength: 40 }).map(
    (text): Replacement =>
      () =>
        text
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(
    (text): Replacement =>
      () =>
        text
  ),
  // personal data moved into any field
  piiValue.map(
    (value): Replacement =>
      () =>
        value
  )
)

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; with: Replacement }
  | { kind: 'add'; at: number; key: string; with: Replacement }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant<'delete'>('delete'), at: fc.nat() }),
  fc.record({ kind: fc.constant<'replace'>('replace'), at: fc.nat(), with: replacement }),
  fc.record({
    kind: fc.constant<'add'>('add'),
    at: fc.nat(),
    key: fc.oneof(
      fc.constantFrom('email', 'phone', 'currency', 'value', 'revenue', 'products', 'action_source', '__proto__'),
      fc.string({ maxLength: 12 })
    ),
    with: replacement
  })
)

function applyMutation(root: Record<string, unknown>, change: Mutation): void {
  const paths = pathsOf(root)
  if (paths.length === 0) return
  const path = paths[change.at % paths.length]
  const parent = parentOf(root, path)
  if (!parent) return
  const key = path[path.length - 1]
  if (change.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1)
    else delete parent[key]
  } else if (change.kind === 'replace') {
    parent[key] = change.with(parent[key])
  } else {
    const target = parent[key]
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      Object.defineProperty(target, change.key, {
        value: change.with(undefined),
        enumerable: true,
        writable: true,
        configurable: true
      })
    } else {
      parent[key] = change.with(target)
    }
  }
}

/** One of the seeds, deep-copied and damaged by up to `maxMutations` random mutations. */
export function mutatedEvent(seeds: Record<string, unknown>[], maxMutations = 6): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: maxMutations })).map(([seed, changes]) => {
    const event = structuredClone(seed)
    for (const change of changes) applyMutation(event, change)
    return event
  })
}

/** Arbitrary input: anything at all, JSON values, objects, or damaged real events. */
export function anyInput(seeds: Record<string, unknown>[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.object({ maxDepth: 2 }) },
    { weight: 5, arbitrary: mutatedEvent(seeds) }
  )
}

/**
 * Inputs that crash actions-core itself before any of our code runs, on the paths that call it directly
 * (testAction, executeBatch): `"context": null` breaks its resolveAudienceMembership. The runner refuses such an
 * event alone (src/runner/input.ts), so only the direct actions-core properties set these aside.
 */
export const ACTIONS_CORE_CRASHES = {
  nullContext: (input: unknown): boolean =>
    input !== null && typeof input === 'object' && !Array.isArray(input) && 'context' in input && input.context === null
}
