import type { SegmentEvent } from '@segment/actions-core'
import { parseFql } from '@segment/destination-subscriptions'
import definition from '../../src'
import {
  eventNameKey,
  readsTypeAndNameOnly,
  rememberingByName,
  subscribedEventNames,
  tolerantMatcher
} from '../../src/runner/event-names'
import { buildRoutes } from '../../src/runner/routing'

const track = (event: string) => ({ type: 'track', event }) as SegmentEvent
const matcher = (subscribe: string) => tolerantMatcher(parseFql(subscribe))

/**
 * The spellings the presets' subscriptions used to list (six casings × four separators of the name's words); the
 * runner must keep matching every one of them now that the subscriptions name only the canonical spellings.
 */
function formerSpellings(name: string): string[] {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
  const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()
  const casings = [
    words,
    words.map(capitalise),
    words.map((word) => word.toLowerCase()),
    words.map((word) => word.toUpperCase()),
    words.map((word, index) => (index === 0 ? capitalise(word) : word.toLowerCase())),
    words.map((word, index) => (index === 0 ? word.toLowerCase() : capitalise(word)))
  ]
  return [...new Set(casings.flatMap((casing) => [' ', '_', '-', ''].map((separator) => casing.join(separator))))]
}

describe('eventNameKey', () => {
  it.each([
    ['Order Completed', 'ordercompleted'],
    ['order_completed', 'ordercompleted'],
    ['order-completed', 'ordercompleted'],
    ['OrderCompleted', 'ordercompleted'],
    ['ORDER  COMPLETED', 'ordercompleted'],
    ['Product Added to Wishlist', 'productaddedtowishlist']
  ])('%p → %p', (name, key) => {
    expect(eventNameKey(name)).toBe(key)
  })
})

describe('subscribedEventNames', () => {
  it('collects every exact event comparison inside groups, and no other comparison', () => {
    const parsed = parseFql(
      'type = "track" and (event = "Order Completed" or event = "Purchase" or match(event, "Checkout*") or event != "Refund")'
    )
    expect(subscribedEventNames(parsed)).toEqual(['Order Completed', 'Purchase'])
  })
})

describe('tolerantMatcher', () => {
  const purchase = 'type = "track" and (event = "Order Completed" or event = "Purchase")'

  it.each([
    'Order Completed',
    'order completed',
    'order_completed',
    'order-completed',
    'OrderCompleted',
    'orderCompleted',
    'ORDER_COMPLETED',
    'Purchase',
    'purchase',
    'PURCHASE'
  ])('matches %p', (name) => {
    expect(matcher(purchase)(track(name))).toBe(true)
  })

  it.each(['Order Completed Twice', 'Orders Completed', 'Order Refunded', 'Purchased', 'Order.Completed', ''])(
    'does not match %p',
    (name) => {
      expect(matcher(purchase)(track(name))).toBe(false)
    }
  )

  it('leaves the rest of the subscription in charge: type and properties still decide', () => {
    const match = matcher('type = "track" and event = "Lead" and properties.tier = "gold"')
    expect(match({ ...track('lead'), properties: { tier: 'gold' } } as SegmentEvent)).toBe(true)
    expect(match({ ...track('lead'), properties: { tier: 'silver' } } as SegmentEvent)).toBe(false)
    expect(matcher('type = "page"')({ type: 'page', name: 'order_completed' } as SegmentEvent)).toBe(true)
    expect(matcher(purchase)({ type: 'page', event: 'order_completed' } as unknown as SegmentEvent)).toBe(false)
  })
})

describe('the runner routes every spelling the presets used to list', () => {
  const routes = buildRoutes({})
  const cases = (definition.presets ?? []).flatMap((preset) =>
    preset.type === 'automatic'
      ? subscribedEventNames(parseFql(preset.subscribe)).flatMap((name) =>
          formerSpellings(name).map((spelling) => [preset.name as string, spelling] as const)
        )
      : []
  )

  it('has the former spellings of all 18 track presets', () => {
    expect(new Set(cases.map(([preset]) => preset)).size).toBe(18)
    expect(cases.length).toBeGreaterThan(18 * 10)
  })

  it.each(cases)('%s routes %p', (preset, spelling) => {
    expect(routes.filter((route) => route.matches(track(spelling))).map((route) => route.name)).toEqual([preset])
  })
})

describe('rememberingByName', () => {
  it('is for FQL that reads only the type and the name: every preset, no property, trait or user condition', () => {
    for (const preset of definition.presets ?? [])
      if (preset.type === 'automatic') expect(readsTypeAndNameOnly(parseFql(preset.subscribe))).toBe(true)
    for (const subscribe of [
      'type = "track" and properties.value > 10',
      'type = "identify" or traits.email = "a"',
      'userId = "u"',
      'type = "page" and name = "Home"',
      'type = "track" and context.locale = "fr"',
      'not valid FQL ('
    ])
      expect(readsTypeAndNameOnly(parseFql(subscribe))).toBe(false)
  })

  it('answers as the matcher does, asking it once per type and name; other events are asked every time', () => {
    const purchase = matcher('type = "track" and (event = "Order Completed" or event = "Purchase")')
    let asked = 0
    const remembering = rememberingByName((event) => (asked++, purchase(event)))
    const events = [
      track('order_completed'),
      track('Purchase'),
      track('Lead'),
      track(''),
      { type: 'page', event: 'order_completed' },
      { type: 'page' },
      { type: 'track', event: 7 },
      { type: 'track', event: { name: 'Purchase' } },
      { event: 'Purchase' }
    ] as unknown as SegmentEvent[]
    const expected = events.map(purchase)
    expect(expected).toEqual([true, true, false, false, false, false, false, false, false])
    for (let round = 0; round < 3; round++) expect(events.map(remembering)).toEqual(expected)
    // Six remembered after the first round; the three with a name or type that is not a string asked each time.
    expect(asked).toBe(6 + 3 * 3)
  })

  it('stops remembering after 10,000 names and still answers each one', () => {
    let asked = 0
    const remembering = rememberingByName((event) => (asked++, event.event?.endsWith('7') === true))
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 10_500; i++) expect(remembering(track(`e${i}`))).toBe(String(i).endsWith('7'))
    expect(asked).toBe(10_500 + 500)
  })
})
