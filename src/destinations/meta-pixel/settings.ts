import type { GlobalSetting } from '@segment/actions-core'
import { ACTION_SOURCES, LDU_COUNTRIES, LDU_STATES } from '../../lib/capi-event'
import type { PayloadOf } from './field-types'
import { DEFAULT_API_VERSION, DEFAULT_PARTNER_AGENT } from './graph'

export const settingsFields = {
  pixelId: {
    label: 'Pixel ID',
    description: 'The Meta Pixel ID (or dataset ID) from Events Manager. Digits only.',
    type: 'string',
    required: true
  },
  accessToken: {
    label: 'Conversions API access token',
    description:
      'Generate it in Events Manager → your Pixel → Settings → Conversions API. Kept secret: sent only in the Authorization header.',
    type: 'password',
    required: true
  },
  testEventCode: {
    label: 'Test event code',
    description:
      "Sends events to Events Manager's Test Events tab (a mapping can override it). Remove it in production.",
    type: 'string'
  },
  partnerAgent: {
    label: 'Partner agent',
    description: 'Identifies the platform sending on your behalf to Meta; sent with every request.',
    type: 'string',
    default: DEFAULT_PARTNER_AGENT
  },
  apiVersion: {
    label: 'Graph API version',
    description: 'The Meta Graph API version, such as v26.0.',
    type: 'string',
    default: DEFAULT_API_VERSION
  },
  defaultActionSource: {
    label: 'Default action source',
    description: 'Where conversions happen when a mapping does not say: website, app, physical_store…',
    type: 'string',
    choices: ACTION_SOURCES.map((value) => ({ value, label: value })),
    default: 'website'
  },
  limitedDataUse: {
    label: 'Limited Data Use',
    description: "Flag every event for Meta's Limited Data Use (US state privacy laws); a mapping can override it.",
    type: 'boolean',
    default: false
  },
  limitedDataUseCountry: {
    label: 'Limited Data Use country',
    description: '1 for the United States, 0 to let Meta geolocate from the IP address.',
    type: 'number',
    choices: LDU_COUNTRIES.map((country) => ({ ...country })),
    default: 0
  },
  limitedDataUseState: {
    label: 'Limited Data Use state',
    description: 'The US state code, or 0 to let Meta geolocate.',
    type: 'number',
    choices: LDU_STATES.map((state) => ({ ...state })),
    default: 0
  },
  defaultCurrency: {
    label: 'Default currency',
    description: 'ISO-4217 code used only when an event has a value but no currency, such as USD.',
    type: 'string'
  },
  defaultCountryCallingCode: {
    label: 'Default country calling code',
    description:
      'Added to phone numbers written without one, such as 1 for the US or 44 for the UK. Meta needs the country code to match phones.',
    type: 'string'
  },
  amplitudeEventMap: {
    label: 'Amplitude event map',
    description:
      'For Amplitude sources: which Amplitude events to send as which Meta events, one per line as "Amplitude event = Meta event" (for example "Demo Booked = Schedule").',
    type: 'string'
  }
} satisfies Record<string, GlobalSetting>

export type Settings = PayloadOf<typeof settingsFields>
