import { adapted } from './helpers'

const base = { event_type: 'revenue_amount', user_id: 'user-123', time: 1646078821795 }

function propertiesOf(eventProperties: Record<string, unknown>, topLevel: Record<string, unknown> = {}) {
  return adapted({ ...base, ...topLevel, event_properties: eventProperties }).properties
}

describe('revenue', () => {
  it('lets an explicit $revenue win over a revenue event property', () => {
    expect(propertiesOf({ revenue: 30, $revenue: 40 })).toMatchObject({ revenue: 40 })
  })

  it('derives price × quantity only when no revenue is given', () => {
    expect(propertiesOf({ revenue: 30, $price: 5, $quantity: 2 })).toMatchObject({ revenue: 30 })
    expect(propertiesOf({ $price: 5, $quantity: 2 })).toMatchObject({ revenue: 10 })
    expect(propertiesOf({ $price: '7.5' })).toMatchObject({ revenue: 7.5 })
  })

  it('prefers the HTTP V2 top-level fields over $ event properties', () => {
    expect(propertiesOf({ $revenue: 1, $currency: 'usd' }, { revenue: 2, currency: 'eur' })).toMatchObject({
      revenue: 2,
      currency: 'EUR'
    })
  })

  it('falls back to the $ property when the top-level value is not a number', () => {
    expect(propertiesOf({ $revenue: '3' }, { revenue: 'lots' })).toMatchObject({ revenue: 3 })
  })

  it('builds a single product with quantity 1 when only productId and price are known', () => {
    expect(propertiesOf({ $productId: 42, $price: 9 })).toStrictEqual({
      revenue: 9,
      product_id: '42',
      price: 9,
      quantity: 1,
      products: [{ product_id: '42', price: 9, quantity: 1 }]
    })
  })

  it('keeps a products array rather than building one from productId', () => {
    const products = [{ product_id: 'a', price: 1, quantity: 3 }]
    expect(propertiesOf({ $productId: 'b', products })).toMatchObject({ product_id: 'b', products })
  })

  it('drops what is not usable: a non-array products, a non-text currency, a NaN price', () => {
    expect(propertiesOf({ products: 'oops', currency: 840, price: Number.NaN, name: 'x' })).toStrictEqual({ name: 'x' })
  })
})
