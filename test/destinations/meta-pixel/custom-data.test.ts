/**
 * Free-form custom properties (the custom_data mapping field) reach Meta's custom_data, after the typed
 * commerce fields, and never carry personal information.
 */
import { createTestIntegration } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../../../src'
import { referenceOrderCompleted, referenceRequestBody, settings, atFrozenTimeWithoutNetwork } from '../../helpers'
import { interceptEvents, presetMapping } from './support'

const [referenceEvent] = referenceRequestBody.data

atFrozenTimeWithoutNetwork()

/** The reference Order Completed with extra properties, through the Purchase preset plus this custom_data mapping. */
async function sentCustomData(properties: JSONObject, customData: JSONObject) {
  const meta = interceptEvents()
  const reference = referenceOrderCompleted()
  const event = { ...reference, properties: { ...reference.properties, ...properties } } as SegmentEvent
  const testDestination = createTestIntegration(definition)

  await testDestination.testAction('sendEvent', {
    event,
    settings,
    mapping: { ...presetMapping('Purchase'), custom_data: customData },
    useDefaultMappings: true
  })

  expect(meta.requests).toHaveLength(1)
  const [sent] = meta.requests[0].body.data as Record<string, unknown>[]
  // Only custom_data may differ from the reference request.
  expect({ ...sent, custom_data: referenceEvent.custom_data }).toEqual(referenceEvent)
  return sent.custom_data
}

it('sends custom properties from the custom_data mapping next to the typed fields', async () => {
  const customData = await sentCustomData(
    { plan: 'Pro annual', shipping_method: 'Fedex', gift: true, coupon: 'WINTER26' },
    {
      plan: { '@path': '$.properties.plan' },
      shipping_method: { '@path': '$.properties.shipping_method' },
      gift: { '@path': '$.properties.gift' },
      coupon_code: { '@path': '$.properties.coupon' },
      loyalty_tier: 'gold',
      items_in_cart: 3
    }
  )

  expect(customData).toEqual({
    ...referenceEvent.custom_data,
    plan: 'Pro annual',
    shipping_method: 'Fedex',
    gift: true,
    coupon_code: 'WINTER26',
    loyalty_tier: 'gold',
    items_in_cart: 3
  })
})

it('lets the typed fields win when a custom property has the same name', async () => {
  const customData = await sentCustomData(
    { total: 999 },
    {
      value: { '@path': '$.properties.total' },
      currency: 'EUR',
      order_id: 'not-the-order',
      num_items: 42,
      content_type: 'product_group',
      contents: [{ id: 'smuggled', quantity: 9 }],
      campaign: 'black-friday'
    }
  )

  expect(customData).toEqual({ ...referenceEvent.custom_data, campaign: 'black-friday' })
})

it('never sends keys that look like personal information', async () => {
  const customData = await sentCustomData(
    {},
    {
      email: { '@path': '$.context.traits.email' },
      Email: 'john@example.com',
      'e-mail': 'john@example.com',
      phone: { '@path': '$.context.traits.phone' },
      mobile: '+44 7700 900123',
      first_name: 'Mary',
      lastName: "O'Brien-Smith",
      full_name: "Mary O'Brien-Smith",
      username: 'mobrien',
      birthday: '1997-02-16',
      dob: '1997-02-16',
      gender: 'female',
      address: '1 Hacker Way',
      street: '1 Hacker Way',
      city: 'Menlo Park',
      state: 'CA',
      zip: '94025',
      postal_code: '94025',
      country: 'US',
      ip: '203.0.113.7',
      ip_address: '203.0.113.7',
      user_agent: 'Mozilla/5.0',
      ssn: '078-05-1120',
      password: 'hunter2',
      favourite_colour: 'teal'
    }
  )

  expect(customData).toEqual({ ...referenceEvent.custom_data, favourite_colour: 'teal' })
})

it('never sends values that contain an email address, whatever their key', async () => {
  const customData = await sentCustomData(
    {},
    {
      contact: 'john@example.com',
      note: 'Call back John_Smith@Gmail.com after 5pm',
      referrer_name: 'Newsletter'
    }
  )

  expect(customData).toEqual({ ...referenceEvent.custom_data, referrer_name: 'Newsletter' })
})

it('never sends personal information nested in an object or array property', async () => {
  const customData = await sentCustomData(
    {},
    {
      customer: { email: 'john@example.com', phone: '+1 650 555 1212', tier: 'gold' },
      recipients: ['john@example.com', 'team-a'],
      gift_message: { text: 'For mary@example.com', style: 'plain' }
    }
  )

  expect(customData).toEqual({
    ...referenceEvent.custom_data,
    customer: { tier: 'gold' },
    recipients: ['team-a'],
    gift_message: { style: 'plain' }
  })
})
