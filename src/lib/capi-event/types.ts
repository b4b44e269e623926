import type { UserDataInput, CapiUserData } from '../user-data'

/** One product line as a mapping delivers it. */
export interface ContentInput {
  id?: string | number
  quantity?: number
  item_price?: number
  delivery_category?: string
}

/** App and device facts that fill Meta's app_data and its 16-slot extinfo. */
export interface AppDataInput {
  advertiser_tracking_enabled?: boolean
  application_tracking_enabled?: boolean
  os_name?: string
  package_name?: string
  short_version?: string
  long_version?: string
  os_version?: string
  device_model?: string
  locale?: string
  timezone_abbreviation?: string
  carrier?: string
  screen_width?: number
  screen_height?: number
  screen_density?: number
  cpu_cores?: number
  storage_size?: number
  free_storage?: number
  device_timezone?: string
}

/** The commerce facts of an event, before they become Meta's custom_data. */
export interface CommerceInput {
  value?: number
  currency?: string
  content_ids?: (string | number)[]
  contents?: ContentInput[]
  content_type?: string
  content_name?: string
  content_category?: string
  num_items?: number
  order_id?: string | number
  predicted_ltv?: number
  search_string?: string
  status?: string | boolean
  delivery_category?: string
  net_revenue?: number
  custom_data?: Record<string, unknown>
}

/** An event as the destination's mapping delivers it: the action's payload is checked against this type. */
export interface EventInput extends CommerceInput {
  event_name: string
  event_time: string | number
  event_id?: string
  action_source?: string
  event_source_url?: string
  referrer_url?: string
  opt_out?: boolean
  test_event_code?: string
  user_data?: UserDataInput
  app_data?: AppDataInput
  data_processing_options?: boolean
  data_processing_options_country?: number
  data_processing_options_state?: number
}

export interface LimitedDataUse {
  enabled: boolean
  country: number
  state: number
}

export interface BuildOptions {
  defaultActionSource: string
  defaultCurrency?: string
  defaultCountryCallingCode?: string
  limitedDataUse: LimitedDataUse
  nowMs: number
}

export interface CapiContent {
  id: string
  quantity: number
  item_price?: number
  delivery_category?: string
}

/** One element of the request's `data` array, exactly as Meta receives it. */
export interface ServerEvent {
  event_name: string
  event_time: number
  event_id?: string
  action_source: string
  event_source_url?: string
  referrer_url?: string
  opt_out?: boolean
  user_data: CapiUserData
  custom_data?: Record<string, unknown>
  app_data?: Record<string, unknown>
  data_processing_options?: string[]
  data_processing_options_country?: number
  data_processing_options_state?: number
}

/**
 * Something left out of an event that still goes: `field` names where it was (`user_data.ph`,
 * `custom_data.contents[1]`), `reason` says why. Never the value itself: it may be personal data.
 */
export interface Diagnostic {
  field: string
  reason: string
}

export type BuildResult = { ok: true; event: ServerEvent; diagnostics: Diagnostic[] } | { ok: false; error: string }
