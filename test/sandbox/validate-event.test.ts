import { eventRuleError } from '../../src/sandbox/errors'
import { isTooBroadToMatch } from '../../src/lib/contract/customer-information'
import { SUBCODES, paramPath, validateEvent } from '../../src/sandbox/validate-event'
import { findRequestError } from '../../src/sandbox/validate-request'
import { referenceRequestBody } from '../helpers'
import { CT_HASH, EM_HASH, NOW_MS, NOW_S, USER_AGENT, validLead, validPurchase, withUserData } from './fixtures'

const DAY = 86400

/** meta-capi.md §12: the reference request's event, which Meta accepts. */
const [REFERENCE_EVENT] = referenceRequestBody.data

function check(event: unknown, index = 0) {
  return validateEvent(event, index, NOW_MS)
}

describe('validateEvent accepts', () => {
  it.each([
    ['the meta-capi.md §12 reference event', REFERENCE_EVENT],
    ['a valid website Purchase', validPurchase()],
    ['a valid system_generated Lead', validLead()],
    [
      'value sent as a numeric string, as in Meta examples',
      validPurchase({ custom_data: { currency: 'usd', value: '142.52' } })
    ],
    ['an event exactly 7 days old', validLead({ event_time: NOW_S - 7 * DAY })],
    [
      'a physical_store event 62 days old',
      validLead({ action_source: 'physical_store', event_time: NOW_S - 62 * DAY })
    ],
    ['an event exactly 10 minutes in the future', validLead({ event_time: NOW_S + 600 })],
    // Meta converts ISO-8601 event_time strings (segmentio/action-destinations PR #588); Segment sends its timestamp.
    ['an ISO event_time with Z, as Segment sends it', validLead({ event_time: '2026-11-22T11:00:00.000Z' })],
    ['an ISO event_time with an offset', validLead({ event_time: '2026-11-22T13:30:00+02:00' })],
    ['an ISO event_time with a compact offset', validLead({ event_time: '2026-11-22T06:30:00-0530' })],
    ['an ISO event_time with microseconds', validLead({ event_time: '2026-11-22T11:59:59.123456Z' })],
    ['an ISO event_time exactly 7 days old', validLead({ event_time: '2026-11-15T12:00:00Z' })],
    [
      'an ISO event_time exactly 10 minutes ahead, by its offset',
      validLead({ event_time: '2026-11-22T13:10:00.999+01:00' })
    ],
    [
      "an MD5 digest and Meta's param-builder values (digest and appendix), as Meta's SDKs send them",
      validLead({
        user_data: { em: [`${EM_HASH}.AQQCAQMC`, '5d41402abc4b2a76b9719d911017c592'], ct: `${CT_HASH}.BA` }
      })
    ],
    [
      'empty and null hashed keys (they count as absent)',
      validLead({ user_data: { em: EM_HASH, fn: '', ln: null, ct: [] } })
    ],
    [
      'an app event with app_data',
      validLead({
        action_source: 'app',
        user_data: { madid: 'idfa-1', anon_id: 'install-1' },
        app_data: { advertiser_tracking_enabled: 1, extinfo: ['i2', ...Array(15).fill('')] }
      })
    ]
  ])('%s', (_name, event) => {
    expect(check(event)).toBeUndefined()
  })
})

describe('validateEvent rejects, one rule at a time', () => {
  const cases: [string, Record<string, unknown>, number, string, string][] = [
    [
      'missing event_name',
      validLead({ event_name: undefined }),
      SUBCODES.MISSING_EVENT_NAME,
      'Missing Event Name',
      "The parameter $['data'][4]['event_name'] is required and must be a non-empty string."
    ],
    ...[
      ['a date only (no time of day or zone: nothing shows Meta accepts it)', '2026-11-22'],
      ['a date-time without a zone (its instant depends on a zone nobody stated)', '2026-11-22T11:00:00'],
      ['a date-time without seconds', '2026-11-22T11:00Z'],
      ['a day that does not exist', '2026-02-30T11:00:00Z'],
      ['hour 24', '2026-11-21T24:00:00Z'],
      ['an offset beyond 23 hours', '2026-11-22T11:00:00+24:00'],
      ['an ISO date-time with text around it', ' 2026-11-22T11:00:00Z'],
      ['a date as people write it', 'November 22, 2026 11:00'],
      ['a Unix timestamp as a string', String(NOW_S)],
      ['garbage', 'yesterday'],
      ['an empty string', '']
    ].map(([name, time]): [string, Record<string, unknown>, number, string, string] => [
      `event_time as ${name}`,
      validLead({ event_time: time }),
      SUBCODES.INVALID_EVENT_TIME,
      'Invalid Event Time',
      "The parameter $['data'][4]['event_time'] is required and must be an integer Unix timestamp in seconds."
    ]),
    [
      'an ISO event_time 7 days and 1 second old',
      validLead({ event_time: '2026-11-15T11:59:59Z' }),
      SUBCODES.EVENT_TIME_TOO_OLD,
      'Event Timestamp Too Old',
      "The timestamp for this event is too far in the past. The parameter $['data'][4]['event_time'] must be within the last 7 days."
    ],
    [
      'an ISO event_time whose offset puts it 10 minutes and 1 second ahead',
      validLead({ event_time: '2026-11-22T07:10:01-05:00' }),
      SUBCODES.EVENT_TIME_IN_FUTURE,
      'Event Timestamp Too Far In The Future',
      "The parameter $['data'][4]['event_time'] is more than 10 minutes in the future."
    ],
    [
      'event_time in milliseconds (far future)',
      validLead({ event_time: NOW_MS }),
      SUBCODES.EVENT_TIME_IN_FUTURE,
      'Event Timestamp Too Far In The Future',
      "The parameter $['data'][4]['event_time'] is more than 10 minutes in the future."
    ],
    [
      'event_time 7 days and 1 second old',
      validLead({ event_time: NOW_S - 7 * DAY - 1 }),
      SUBCODES.EVENT_TIME_TOO_OLD,
      'Event Timestamp Too Old',
      "The timestamp for this event is too far in the past. The parameter $['data'][4]['event_time'] must be within the last 7 days."
    ],
    [
      'a physical_store event 62 days and 1 second old',
      validLead({ action_source: 'physical_store', event_time: NOW_S - 62 * DAY - 1 }),
      SUBCODES.EVENT_TIME_TOO_OLD,
      'Event Timestamp Too Old',
      "The timestamp for this event is too far in the past. The parameter $['data'][4]['event_time'] must be within the last 62 days."
    ],
    [
      'missing action_source',
      validLead({ action_source: undefined }),
      SUBCODES.INVALID_ACTION_SOURCE,
      'Missing Action Source',
      "The parameter $['data'][4]['action_source'] is required and must be one of: email, website, app, phone_call, chat, physical_store, system_generated, business_messaging, other."
    ],
    [
      'unknown action_source',
      validLead({ action_source: 'Website' }),
      SUBCODES.INVALID_ACTION_SOURCE,
      'Invalid Action Source',
      "The parameter $['data'][4]['action_source'] is required and must be one of: email, website, app, phone_call, chat, physical_store, system_generated, business_messaging, other."
    ],
    [
      'user_data as an array',
      validLead({ user_data: [] }),
      SUBCODES.MISSING_USER_DATA,
      'Missing User Data',
      "The parameter $['data'][4]['user_data'] is required and must be an object."
    ],
    [
      'a plain-text city',
      validLead({ user_data: { em: EM_HASH, ct: 'menlo park' } }),
      SUBCODES.NOT_HASHED,
      'Customer Information Parameter Not Hashed',
      "The parameter $['data'][4]['user_data']['ct'] isn't hashed. It must be a lowercase hex SHA-256 of the normalized value."
    ],
    [
      'website without event_source_url',
      validPurchase({ event_source_url: undefined }),
      SUBCODES.MISSING_EVENT_SOURCE_URL,
      'Missing Event Source URL',
      "The parameter $['data'][4]['event_source_url'] is required for website events."
    ],
    [
      'website without client_user_agent',
      withUserData(validPurchase(), { em: EM_HASH }),
      SUBCODES.MISSING_CLIENT_USER_AGENT,
      'Missing Client User Agent',
      "The parameter $['data'][4]['user_data']['client_user_agent'] is required for website events."
    ],
    [
      'Purchase without custom_data',
      validPurchase({ custom_data: undefined }),
      SUBCODES.PURCHASE_CURRENCY,
      'Missing Currency for Purchase Event',
      "The parameter $['data'][4]['custom_data']['currency'] is required for Purchase events."
    ],
    [
      'Purchase with a made-up currency',
      validPurchase({ custom_data: { currency: 'XYZ', value: 1 } }),
      SUBCODES.PURCHASE_CURRENCY,
      'Invalid Currency Code',
      "The parameter $['data'][4]['custom_data']['currency'] must be an ISO-4217 three-letter currency code."
    ],
    [
      'Purchase without value',
      validPurchase({ custom_data: { currency: 'EUR' } }),
      SUBCODES.PURCHASE_VALUE,
      'Missing Value for Purchase Event',
      "The parameter $['data'][4]['custom_data']['value'] is required for Purchase events and must be a number."
    ],
    [
      'Purchase with a non-numeric value',
      validPurchase({ custom_data: { currency: 'EUR', value: '12,50' } }),
      SUBCODES.PURCHASE_VALUE,
      'Missing Value for Purchase Event',
      "The parameter $['data'][4]['custom_data']['value'] is required for Purchase events and must be a number."
    ],
    [
      'a contents item without id',
      validLead({ custom_data: { contents: [{ id: 'a', quantity: 1 }, { quantity: 2 }] } }),
      SUBCODES.MISSING_CONTENT_ID,
      'Missing Content ID',
      "The parameter $['data'][4]['custom_data']['contents'][1]['id'] is required."
    ],
    [
      'an app event without app_data',
      validLead({ action_source: 'app' }),
      SUBCODES.INVALID_APP_DATA,
      'Missing App Data',
      "The parameter $['data'][4]['app_data'] is required for app events."
    ],
    [
      'an app event without advertiser_tracking_enabled',
      validLead({ action_source: 'app', app_data: { extinfo: Array(16).fill('') } }),
      SUBCODES.INVALID_APP_DATA,
      'Missing Advertiser Tracking Enabled',
      "The parameter $['data'][4]['app_data']['advertiser_tracking_enabled'] is required for app events (0 or 1)."
    ],
    [
      'an app event with a 15-element extinfo',
      validLead({ action_source: 'app', app_data: { advertiser_tracking_enabled: 0, extinfo: Array(15).fill('') } }),
      SUBCODES.INVALID_APP_DATA,
      'Invalid Extended Device Information',
      "The parameter $['data'][4]['app_data']['extinfo'] is required for app events and must have exactly 16 elements."
    ],
    [
      'only city and user agent',
      validLead({ user_data: { ct: CT_HASH, client_user_agent: USER_AGENT } }),
      SUBCODES.INSUFFICIENT_CUSTOMER_INFO,
      'Insufficient Customer Information',
      "The parameter $['data'][4]['user_data'] has insufficient customer information: the event has no customer " +
        'information parameters, or a combination so broad that it cannot be matched. Add em, ph, external_id, fbp, ' +
        'fbc or client_ip_address.'
    ]
  ]

  it.each(cases)('%s', (_name, event, subcode, title, message) => {
    expect(check(event, 4)).toEqual({ subcode, title, message })
  })

  it('rejects a non-object event', () => {
    expect(check('PageView', 2)).toEqual({
      subcode: SUBCODES.INVALID_EVENT,
      title: 'Invalid Event',
      message: "The parameter $['data'][2] must be an object."
    })
  })

  it.each([
    ['uppercase hex', EM_HASH.toUpperCase()],
    ['an array with one plain value', [EM_HASH, 'john@example.com']],
    ['a number', 12345],
    ['a 63-char hex', EM_HASH.slice(1)],
    ["a digest with an appendix that is not Meta's", `${EM_HASH}.X`]
  ])('treats %s as not hashed', (_name, value) => {
    expect(check(validLead({ user_data: { em: value } }))?.subcode).toBe(SUBCODES.NOT_HASHED)
  })

  it('reports only the first broken rule, in the documented order', () => {
    const event = validPurchase({ event_name: 42, action_source: 'nowhere', custom_data: undefined })
    expect(check(event)?.subcode).toBe(SUBCODES.MISSING_EVENT_NAME)
  })

  it('never puts the unhashed value into the message', () => {
    const found = check(validLead({ user_data: { em: 'john@example.com' } }))
    expect(JSON.stringify(found)).not.toContain('john@example.com')
  })
})

describe('baseline matching rule', () => {
  it.each([
    [[]],
    [['ct', 'country', 'st', 'zp', 'ge', 'client_user_agent']],
    [['country', 'zp']],
    [['db', 'client_user_agent']],
    [['fn', 'ge']],
    [['ln', 'ge']],
    [['ln']]
  ])('%j is insufficient', (keys) => {
    expect(isTooBroadToMatch(keys)).toBe(true)
  })

  it.each([[['fn', 'ln', 'ge']], [['em']], [['fbp']], [['client_ip_address', 'client_user_agent']], [['db', 'ge']]])(
    '%j is enough',
    (keys) => {
      expect(isTooBroadToMatch(keys)).toBe(false)
    }
  )

  it('rejects an event with an empty user_data', () => {
    expect(check(validLead({ user_data: {} }))?.subcode).toBe(SUBCODES.INSUFFICIENT_CUSTOMER_INFO)
  })
})

describe('error bodies', () => {
  it('builds the exact Meta-shaped body for an unhashed key at index 17', () => {
    const violation = check(validLead({ user_data: { em: EM_HASH, ct: 'paris' } }), 17)
    expect(violation).toBeDefined()
    expect(eventRuleError(violation!, 'TRACE123')).toEqual({
      status: 400,
      body: {
        error: {
          message: 'Invalid parameter',
          type: 'OAuthException',
          code: 100,
          error_subcode: 2804016,
          is_transient: false,
          error_user_title: 'Customer Information Parameter Not Hashed',
          error_user_msg:
            "The parameter $['data'][17]['user_data']['ct'] isn't hashed. It must be a lowercase hex SHA-256 of the normalized value.",
          fbtrace_id: 'TRACE123'
        }
      }
    })
  })

  it('keeps Meta key order in the serialized body', () => {
    const body = eventRuleError(check(validLead({ user_data: {} }))!, 'T').body
    expect(Object.keys(body.error)).toEqual([
      'message',
      'type',
      'code',
      'error_subcode',
      'is_transient',
      'error_user_title',
      'error_user_msg',
      'fbtrace_id'
    ])
  })

  it('names nested parameters like Meta', () => {
    expect(paramPath(3, 'user_data', 'em')).toBe("$['data'][3]['user_data']['em']")
  })
})

describe('findRequestError (whole request)', () => {
  const find = (body: Record<string, unknown>) => findRequestError(body, NOW_MS, 'T')?.body.error

  it('accepts 1000 valid events', () => {
    expect(find({ data: Array.from({ length: 1000 }, () => validLead()) })).toBeUndefined()
  })

  it.each([
    ['missing data', {}, '(#100) The parameter data is required'],
    ['data as an object', { data: { event_name: 'x' } }, '(#100) param data must be an array.'],
    ['empty data', { data: [] }, '(#100) param data must contain at least 1 event.'],
    [
      '1001 events',
      { data: Array.from({ length: 1001 }, () => validLead()) },
      '(#100) param data must contain at most 1000 events; this request has 1001.'
    ],
    [
      'a numeric partner_agent',
      { data: [validLead()], partner_agent: 7 },
      '(#100) param partner_agent must be a string.'
    ]
  ])('rejects %s with code 100', (_name, body, message) => {
    expect(find(body)).toEqual({ message, type: 'OAuthException', code: 100, is_transient: false, fbtrace_id: 'T' })
  })

  it('rejects the whole batch for the first bad event, naming its index', () => {
    const data = Array.from({ length: 20 }, () => validLead())
    data[17] = validLead({ user_data: { em: EM_HASH, ct: 'paris' } })
    data[18] = validLead({ event_name: '' })
    const error = find({ data })
    expect(error).toMatchObject({ code: 100, error_subcode: 2804016 })
    expect(error?.error_user_msg).toContain("$['data'][17]['user_data']['ct']")
  })
})
