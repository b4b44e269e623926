/**
 * The sendEvent action's fields, as one table (over 250 lines on purpose): a host renders its mapping UI from this
 * object, the presets are built from its defaults and the payload types derive from it, so it stays whole.
 */
import type { InputField } from '@segment/actions-core'
import {
  ACTION_SOURCES,
  DELIVERY_CATEGORIES,
  LDU_COUNTRIES,
  LDU_STATES,
  MAX_EVENTS_PER_REQUEST
} from '../../../lib/capi-event'
import { FILLED_KEYS } from '../../../lib/contract/user-data-keys'
import type { UserDataInput } from '../../../lib/contract/user-data-keys'
import { contentsFrom, firstOf, path } from './directives'
import type { FieldValue } from './directives'

/** An object field's default: the defaults of its properties, keyed as the properties are. */
export function defaultsOf(properties: Record<string, InputField>): Record<string, FieldValue> {
  return Object.fromEntries(
    Object.entries(properties).flatMap(([key, field]) => (field.default === undefined ? [] : [[key, field.default]]))
  )
}

type UserDataInputName = keyof UserDataInput

const actionSourceChoices = ACTION_SOURCES.map((value) => ({ value, label: value }))

// Descriptions and defaults of the user_data fields; their names, order and labels come from the contract table.
const userDataFieldDetails = {
  external_id: {
    description:
      'Your own IDs for the person (user ID, CRM ID). Hashed before sending. Use the same value the browser Pixel sends so Meta can match them.',
    type: 'string',
    multiple: true,
    default: firstOf('$.userId', '$.anonymousId')
  },
  email: {
    description: 'Email address. Lowercased, checked and hashed before sending.',
    type: 'string',
    default: firstOf('$.context.traits.email', '$.properties.email')
  },
  phone: {
    description:
      "Phone number. Read for the event's own country (else the default country calling code setting), sent as hashed E.164 digits without extension.",
    type: 'string',
    default: firstOf('$.context.traits.phone', '$.properties.phone')
  },
  first_name: {
    description: 'First name. Lowercased without punctuation, then hashed.',
    type: 'string',
    default: firstOf('$.context.traits.firstName', '$.context.traits.first_name', '$.properties.first_name')
  },
  last_name: {
    description: 'Last name. Lowercased without punctuation, then hashed.',
    type: 'string',
    default: firstOf('$.context.traits.lastName', '$.context.traits.last_name', '$.properties.last_name')
  },
  date_of_birth: {
    description: 'Date of birth in any common format (1997-02-16, 2/16/1997). Sent as a hashed YYYYMMDD.',
    type: 'string',
    default: path('$.context.traits.birthday')
  },
  gender: {
    description: 'Gender; values such as "female" or "m" are sent as a hashed f or m, anything else is left out.',
    type: 'string',
    default: path('$.context.traits.gender')
  },
  city: {
    description: 'City. Lowercased without spaces or punctuation, then hashed.',
    type: 'string',
    default: path('$.context.traits.address.city')
  },
  state: {
    description: 'State or province; US states and Canadian provinces are sent as their hashed two-letter code.',
    type: 'string',
    default: path('$.context.traits.address.state')
  },
  zip: {
    description:
      'ZIP or postal code, from address.postalCode or address.zip; a US ZIP+4 is cut to five digits, dashes and spaces are removed elsewhere. Hashed.',
    type: 'string',
    default: firstOf('$.context.traits.address.postalCode', '$.context.traits.address.zip')
  },
  country: {
    description: 'Country name or code ("United States", "US", "USA"); sent as the hashed two-letter ISO code.',
    type: 'string',
    default: path('$.context.traits.address.country')
  },
  client_ip_address: {
    description: "The visitor's IP address. Sent as is, never hashed.",
    type: 'string',
    default: path('$.context.ip')
  },
  client_user_agent: {
    description: "The visitor's browser user agent. Required by Meta for website events. Sent as is.",
    type: 'string',
    default: path('$.context.userAgent')
  },
  fbc: {
    description:
      'The _fbc cookie. When empty and the page URL carries an fbclid, it is built from that. Sent as is, case kept.',
    type: 'string',
    default: path('$.properties.fbc')
  },
  fbp: {
    description: 'The _fbp cookie set by the Meta Pixel. Sent as is.',
    type: 'string',
    default: path('$.properties.fbp')
  },
  madid: {
    description: 'The device advertising ID (IDFA or Android advertising ID), for app events. Sent as is.',
    type: 'string',
    default: path('$.context.device.advertisingId')
  },
  anon_id: {
    description: 'The app install ID, for app events. Sent as is.',
    type: 'string'
  },
  subscription_id: {
    description: 'The subscription ID of the person for this transaction. Sent as is.',
    type: 'string'
  },
  fb_login_id: {
    description: 'The app-scoped ID Facebook Login returned for the person. Sent as is.',
    type: 'string'
  },
  lead_id: {
    description: 'The ID of a lead from Meta Lead Ads. Sent as is.',
    type: 'string'
  },
  page_id: {
    description: 'The Facebook Page ID, for business messaging events. Sent as is.',
    type: 'string'
  },
  page_scoped_user_id: {
    description: 'The page-scoped user ID, for business messaging events. Sent as is.',
    type: 'string'
  },
  ctwa_clid: {
    description: 'The click ID of a click-to-WhatsApp ad. Sent as is.',
    type: 'string'
  },
  ig_account_id: {
    description: 'The Instagram account ID, for business messaging events. Sent as is.',
    type: 'string'
  },
  ig_sid: {
    description: 'The Instagram-scoped user ID, for business messaging events. Sent as is.',
    type: 'string'
  }
} satisfies Record<UserDataInputName, Omit<InputField, 'label'>>

type UserDataFieldDetails = typeof userDataFieldDetails

/** The user_data fields in the contract's order, each labelled as Events Manager labels its key. */
export const userDataFields = Object.fromEntries(
  FILLED_KEYS.map((spec) => [spec.input, { label: spec.label, ...userDataFieldDetails[spec.input] }])
) as { [K in keyof UserDataFieldDetails]: UserDataFieldDetails[K] & { label: string } }

export const contentFields = {
  id: { label: 'Product ID', description: 'Product ID or SKU, as in your catalogue.', type: 'string' },
  quantity: { label: 'Quantity', description: 'How many of this product; 1 when empty.', type: 'number' },
  item_price: { label: 'Item price', description: 'Price of one item.', type: 'number' },
  delivery_category: {
    label: 'Delivery category',
    // No choices here: the schema's message would not say which item; the build names it (contents[i]).
    description: 'How the item is delivered: in_store, curbside or home_delivery.',
    type: 'string'
  }
} satisfies Record<string, InputField>

export const appDataFields = {
  advertiser_tracking_enabled: {
    label: 'Advertiser tracking enabled',
    description: 'Whether the person allowed ad tracking on the device (iOS ATT). Required for app events.',
    type: 'boolean',
    default: path('$.context.device.adTrackingEnabled')
  },
  application_tracking_enabled: {
    label: 'Application tracking enabled',
    description: 'Whether the app may track the person; the advertiser tracking value when empty.',
    type: 'boolean'
  },
  os_name: { label: 'OS name', description: 'iOS or Android.', type: 'string', default: path('$.context.os.name') },
  package_name: {
    label: 'App package name',
    description: 'Bundle or package ID, such as com.example.app.',
    type: 'string',
    default: path('$.context.app.namespace')
  },
  short_version: {
    label: 'App version',
    description: 'The app version, such as 2.3.1.',
    type: 'string',
    default: path('$.context.app.version')
  },
  long_version: {
    label: 'App build',
    description: 'The app build number.',
    type: 'string',
    default: path('$.context.app.build')
  },
  os_version: {
    label: 'OS version',
    description: 'Such as 17.5.',
    type: 'string',
    default: path('$.context.os.version')
  },
  device_model: {
    label: 'Device model',
    description: 'Such as iPhone15,2.',
    type: 'string',
    default: path('$.context.device.model')
  },
  locale: { label: 'Locale', description: 'Such as en_US.', type: 'string', default: path('$.context.locale') },
  timezone_abbreviation: { label: 'Time zone abbreviation', description: 'Such as PST.', type: 'string' },
  carrier: {
    label: 'Carrier',
    description: 'Mobile network carrier.',
    type: 'string',
    default: path('$.context.network.carrier')
  },
  screen_width: {
    label: 'Screen width',
    description: 'In pixels.',
    type: 'number',
    default: path('$.context.screen.width')
  },
  screen_height: {
    label: 'Screen height',
    description: 'In pixels.',
    type: 'number',
    default: path('$.context.screen.height')
  },
  screen_density: {
    label: 'Screen density',
    description: 'Such as 2.0.',
    type: 'number',
    default: path('$.context.screen.density')
  },
  cpu_cores: { label: 'CPU cores', description: 'Number of CPU cores.', type: 'number' },
  storage_size: { label: 'Storage size (GB)', description: 'Total storage in GB.', type: 'number' },
  free_storage: { label: 'Free storage (GB)', description: 'Free storage in GB.', type: 'number' },
  device_timezone: {
    label: 'Device time zone',
    description: 'Such as America/Los_Angeles.',
    type: 'string',
    default: path('$.context.timezone')
  }
} satisfies Record<string, InputField>

export const fields = {
  event_name: {
    label: 'Event name',
    description:
      'A Meta standard event (Purchase, AddToCart, Lead…) or your own custom event name of up to 50 characters. Standard events drive Meta ad optimisation; a custom event needs a custom conversion in Events Manager.',
    type: 'string',
    required: true,
    dynamic: true,
    // The 50-character limit is checked when the event is built, so a long name fails as a PayloadValidationError
    // like every other refused event (a schema maximum would throw actions-core's AggregateAjvError instead).
    default: path('$.event')
  },
  event_time: {
    label: 'Event time',
    description:
      'When the event happened. Sent as Unix seconds. Events older than 7 days (62 for physical store) are refused; times more than a minute ahead are set to now.',
    type: 'datetime',
    required: true,
    default: path('$.timestamp')
  },
  event_id: {
    label: 'Event ID',
    description:
      'Deduplication key: use the same ID the browser Pixel sends as eventID so Meta counts the conversion once.',
    type: 'string',
    default: path('$.messageId')
  },
  action_source: {
    label: 'Action source',
    description: "Where the conversion happened. When empty, the destination's default action source is used.",
    type: 'string',
    choices: actionSourceChoices,
    default: path('$.properties.action_source')
  },
  event_source_url: {
    label: 'Page URL',
    description: 'The browser URL where the event happened. Required by Meta for website events.',
    type: 'string',
    default: firstOf('$.context.page.url', '$.properties.url')
  },
  referrer_url: {
    label: 'Referrer URL',
    description: 'The page that led to the event page.',
    type: 'string',
    default: path('$.context.page.referrer')
  },
  opt_out: {
    label: 'Attribution only',
    description: 'When true, Meta uses the event for attribution only, not for ad delivery optimisation.',
    type: 'boolean'
  },
  test_event_code: {
    label: 'Test event code',
    description:
      "Sends the events to Events Manager's Test Events tab; overrides the destination setting. Remove it in production.",
    type: 'string'
  },
  user_data: {
    label: 'Customer information',
    description:
      'Who did it. Meta needs enough of these to match the event to a person; contact details are normalised and SHA-256 hashed before they leave.',
    type: 'object',
    properties: userDataFields,
    default: defaultsOf(userDataFields)
  },
  value: {
    label: 'Value',
    description:
      'The monetary value of the event. Required for Purchase. When empty on a cart, wishlist, checkout, payment or purchase event, the sum of price × quantity of its products.',
    type: 'number',
    default: firstOf('$.properties.value', '$.properties.revenue')
  },
  currency: {
    label: 'Currency',
    description: 'ISO-4217 code such as USD or eur. Required for Purchase; the default currency setting fills it.',
    type: 'string',
    default: path('$.properties.currency')
  },
  contents: {
    label: 'Products',
    description: 'The products of the event, each with an ID and quantity.',
    type: 'object',
    multiple: true,
    properties: contentFields,
    default: contentsFrom('$.properties.products')
  },
  content_ids: {
    label: 'Product IDs',
    description: 'Product IDs or SKUs for catalogue ads. When empty, the IDs of the products.',
    type: 'string',
    multiple: true
  },
  content_type: {
    label: 'Content type',
    description: 'product when the IDs are products, product_group when they are product groups.',
    type: 'string',
    // Offered as choices through dynamicFields: static choices become a schema enum, which would refuse the whole
    // event for a mapped value outside them; the build leaves such a value out with a diagnostic instead.
    dynamic: true
  },
  content_name: { label: 'Content name', description: 'Name of the page or product.', type: 'string' },
  content_category: { label: 'Content category', description: 'Category of the page or product.', type: 'string' },
  num_items: {
    label: 'Number of items',
    description: 'For checkouts and purchases: when empty, the sum of the product quantities.',
    type: 'integer'
  },
  order_id: {
    label: 'Order ID',
    description: 'Your order or transaction ID.',
    type: 'string',
    default: path('$.properties.order_id')
  },
  predicted_ltv: {
    label: 'Predicted lifetime value',
    description: 'The predicted lifetime value of the subscriber or customer.',
    type: 'number'
  },
  search_string: {
    label: 'Search query',
    description: 'What the person searched for.',
    type: 'string',
    default: path('$.properties.query')
  },
  status: { label: 'Registration status', description: 'Status of a registration or subscription.', type: 'string' },
  delivery_category: {
    label: 'Delivery category',
    description: `How the order is delivered: ${DELIVERY_CATEGORIES.join(', ')}.`,
    type: 'string',
    // Choices through dynamicFields, as for content_type.
    dynamic: true
  },
  net_revenue: {
    label: 'Net revenue',
    description: 'The margin or profit of the event, for value optimisation.',
    type: 'number'
  },
  custom_data: {
    label: 'Custom properties',
    description:
      'Extra properties sent to Meta as custom data, for custom conversions. The typed fields above win on a name clash; keys that look like personal information are never sent.',
    type: 'object',
    additionalProperties: true,
    defaultObjectUI: 'keyvalue'
  },
  app_data: {
    label: 'App data',
    description:
      "Device and app facts Meta requires for app events, filled from the event's app context when it has one; sent only when the action source is app.",
    type: 'object',
    properties: appDataFields,
    // Resolved only for events from an app: thirteen path lookups per web event cost about 15 µs (docs/benchmarks.md).
    default: { '@if': { exists: path('$.context.app'), then: defaultsOf(appDataFields) } }
  },
  data_processing_options: {
    label: 'Limited Data Use',
    description:
      "Flags the event for Meta's Limited Data Use (US state privacy laws). When empty, the setting applies.",
    type: 'boolean'
  },
  data_processing_options_country: {
    label: 'Limited Data Use country',
    description: '1 for the United States, 0 to let Meta geolocate.',
    type: 'integer',
    choices: LDU_COUNTRIES.map((country) => ({ ...country }))
  },
  data_processing_options_state: {
    label: 'Limited Data Use state',
    description: 'The US state code, or 0 to let Meta geolocate.',
    type: 'integer',
    choices: LDU_STATES.map((state) => ({ ...state }))
  },
  enable_batching: {
    label: 'Send in batches',
    description: 'Send up to 1,000 events per request to Meta.',
    type: 'boolean',
    default: true,
    unsafe_hidden: true
  },
  batch_size: {
    label: 'Batch size',
    description: "Events per request; at most Meta's 1,000.",
    type: 'number',
    default: MAX_EVENTS_PER_REQUEST,
    minimum: 1,
    maximum: MAX_EVENTS_PER_REQUEST,
    unsafe_hidden: true
  }
} satisfies Record<string, InputField>
