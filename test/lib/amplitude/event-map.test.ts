import { DEFAULT_AMPLITUDE_EVENT_MAP, parseEventMap } from '../../../src/lib/amplitude'
import { adapted, PAGE_VIEW } from './helpers'

const base = { user_id: 'user-123', time: 1646078821795 }

function eventNameOf(eventType: string, eventMap?: Record<string, string>): string | undefined {
  return adapted({ ...base, event_type: eventType }, { eventMap }).event
}

describe('parseEventMap', () => {
  it.each([undefined, '', '   \n  '])('returns {} for blank settings (%j)', (text) => {
    expect(parseEventMap(text)).toEqual({})
  })

  it('reads one entry per line, with =, : or =>', () => {
    const text = 'Lead Form Submitted = Lead\n  Trial Started: StartTrial  \r\n\nWishlist Added => AddToWishlist\n'
    expect(parseEventMap(text)).toEqual({
      'Lead Form Submitted': 'Lead',
      'Trial Started': 'StartTrial',
      'Wishlist Added': 'AddToWishlist'
    })
  })

  it('reads comma-separated entries', () => {
    expect(parseEventMap('Lead Form Submitted=Lead, Trial Started=StartTrial,')).toEqual({
      'Lead Form Submitted': 'Lead',
      'Trial Started': 'StartTrial'
    })
  })

  it('splits at = before :, so a name may contain a colon', () => {
    expect(parseEventMap('Checkout: Step 1 = InitiateCheckout')).toEqual({ 'Checkout: Step 1': 'InitiateCheckout' })
  })

  it('removes quotes around names', () => {
    expect(parseEventMap(`"Add to Cart" = 'AddToCart'`)).toEqual({ 'Add to Cart': 'AddToCart' })
  })

  it('reads a JSON object, which allows commas in names', () => {
    expect(parseEventMap('{ "Cart, mini: add": "AddToCart", " Lead ": " Lead " }')).toEqual({
      'Cart, mini: add': 'AddToCart',
      Lead: 'Lead'
    })
  })

  it.each([
    ['an entry without a separator', 'Lead Form Submitted', /Event map entry "Lead Form Submitted" must look like/],
    ['an entry without a Meta name', 'Lead Form Submitted =', /must look like "Amplitude event = MetaEvent"/],
    ['an entry without an Amplitude name', ' => Lead', /must look like "Amplitude event = MetaEvent"/],
    ['invalid JSON', '{ "Lead": ', /Event map is not valid JSON/],
    ['a JSON value that is not text', '{ "Lead": 1 }', /Event map entry "Lead" must map a non-empty name/],
    ['a JSON entry with a blank name', '{ " ": "Lead" }', /must map a non-empty name to a non-empty event name/]
  ])('throws a clear error on %s', (_label, text, message) => {
    expect(() => parseEventMap(text)).toThrow(message)
  })
})

describe('event names', () => {
  it('has the documented defaults and cannot be changed', () => {
    expect(DEFAULT_AMPLITUDE_EVENT_MAP).toEqual({
      revenue_amount: 'Purchase',
      Purchase: 'Purchase',
      'Order Completed': 'Purchase',
      'Product Viewed': 'ViewContent',
      'Product Added': 'AddToCart',
      'Add to Cart': 'AddToCart',
      'Checkout Started': 'InitiateCheckout',
      Search: 'Search',
      'Products Searched': 'Search',
      'Sign Up': 'CompleteRegistration',
      'Signed Up': 'CompleteRegistration'
    })
    expect(Object.isFrozen(DEFAULT_AMPLITUDE_EVENT_MAP)).toBe(true)
  })

  it.each([
    ['ORDER_COMPLETED', 'Purchase'],
    ['ordercompleted', 'Purchase'],
    ['Revenue Amount', 'Purchase'],
    ['add_to_cart', 'AddToCart'],
    ['  Signed  Up ', 'CompleteRegistration'],
    ['products_searched', 'Search']
  ])('matches %j case-insensitively, whatever the separators, → %s', (eventType, expected) => {
    expect(eventNameOf(eventType)).toBe(expected)
  })

  it('keeps an unmapped event_type as the event name (trimmed)', () => {
    expect(eventNameOf(' Product Clicked ')).toBe('Product Clicked')
  })

  it('lets the user map win and ignores blank or non-text targets', () => {
    expect(eventNameOf('Purchase', { purchase: 'Subscribe' })).toBe('Subscribe')
    expect(eventNameOf('Purchase', { Purchase: ' ' })).toBe('Purchase')
    expect(eventNameOf('Purchase', { Purchase: 5 } as unknown as Record<string, string>)).toBe('Purchase')
  })

  it('makes page views page calls, named by the page title when there is one', () => {
    expect(adapted(PAGE_VIEW)).toMatchObject({ type: 'page', name: 'Home' })
    expect(adapted({ ...PAGE_VIEW, event_type: '[amplitude] page_viewed', event_properties: {} })).toStrictEqual(
      expect.objectContaining({ type: 'page' })
    )
    expect(adapted({ ...PAGE_VIEW, event_properties: {} })).not.toHaveProperty('name')
  })
})
