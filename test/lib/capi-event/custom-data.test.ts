import { buildCustomData, isPersonalKey } from '../../../src/lib/capi-event/custom-data'

describe('buildCustomData custom properties', () => {
  it('keeps ordinary properties and lets typed fields win on a name clash', () => {
    const result = buildCustomData('Lead', { value: 10, custom_data: { value: 99, plan: 'pro', seats: 3 } })
    expect(result).toEqual({ ok: true, customData: { value: 10, plan: 'pro', seats: 3 }, diagnostics: [] })
  })

  it('never sends keys that belong in user_data or the event itself', () => {
    const result = buildCustomData('Lead', {
      custom_data: {
        fbc: 'fb.1.1.abc',
        fbp: 'fb.1.1.123',
        fbclid: 'abc',
        action_source: 'website',
        event_id: 'e1',
        email: 'someone@example.com',
        note: 'write to someone@example.com',
        plan: 'pro'
      }
    })
    expect(result).toEqual({ ok: true, customData: { plan: 'pro' }, diagnostics: [] })
  })

  it('tells email-like text apart in megabyte values (the check is linear; the old pattern took hours here)', () => {
    const long = 'a'.repeat(1_000_000)
    const result = buildCustomData('Lead', {
      custom_data: {
        plain: long,
        slashes: `${'@'.repeat(500_000)}x`,
        hidden: `${long} someone@example.com`,
        trailing: `${long}@example`
      }
    })
    expect(result).toEqual({
      ok: true,
      customData: { plain: long, slashes: `${'@'.repeat(500_000)}x`, trailing: `${long}@example` },
      diagnostics: []
    })
  })

  it('sends no custom_data at all when nothing is left', () => {
    expect(buildCustomData('PageView', { custom_data: { fbp: 'fb.1.1.123' } })).toEqual({ ok: true, diagnostics: [] })
  })
})

describe('isPersonalKey', () => {
  it.each([
    'email',
    'Email_Address',
    'phone_number',
    'mobilePhone',
    'customer_name',
    'billingAddress',
    'shipping_street',
    'postcode',
    'zip_code',
    'date_of_birth',
    'user_agent',
    'ip_address',
    'firstName',
    'Last Name',
    'username',
    'state',
    'country'
  ])('drops %p', (key) => {
    expect(isPersonalKey(key)).toBe(true)
  })

  it.each(['product_name', 'plan', 'name', 'content_name', 'tip', 'order_id', 'user_id', 'state_of_order', 'coupon'])(
    'keeps %p',
    (key) => {
      expect(isPersonalKey(key)).toBe(false)
    }
  )
})
