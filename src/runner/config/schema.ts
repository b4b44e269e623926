/**
 * The one declaration of what a configuration may hold. Every key not listed here is refused with the nearest
 * known one as a hint. A new key is one entry in RUNNER_KEYS, with its check, plus its place in RunnerConfig
 * (types.ts) and in readDestinationConfig (load.ts).
 */
import { fields as actionFields } from '../../destinations/meta-pixel/sendEvent/fields'
import { settingsFields } from '../../destinations/meta-pixel/settings'
import { isRecord } from '../../lib/is-record'

/** Why a value is wrong for its key, or undefined. */
export type ValueCheck = (value: unknown) => string | undefined

const anything: ValueCheck = () => undefined

const isObject: ValueCheck = (value) => (isRecord(value) ? undefined : 'must be a JSON object')

const isEventMap: ValueCheck = (value) =>
  typeof value === 'string' || (isRecord(value) && Object.values(value).every((name) => typeof name === 'string'))
    ? undefined
    : 'must be an object of "Amplitude event": "Meta event", or a string of "Amplitude event = Meta event" lines'

const isKeyList: ValueCheck = (value) =>
  Array.isArray(value) && value.every((key) => typeof key === 'string' && key.trim() !== '')
    ? undefined
    : 'must be an array of non-empty strings'

/** The destination's own settings, as a host stores them (checked by the destination's schema, see check.ts). */
export const SETTING_KEYS: readonly string[] = Object.keys(settingsFields)

/**
 * Keys a destination configuration holds beside the settings. amplitudeEventMap is also a setting (a string);
 * a configuration file may give it as an object too.
 */
export const RUNNER_KEYS: Readonly<Record<string, ValueCheck>> = {
  mapping: isObject,
  amplitudeEventMap: isEventMap,
  // Which events go and under which name; their contents are checked in routing-keys.ts.
  presets: anything,
  subscriptions: anything,
  eventMap: anything,
  customEvents: anything,
  consent: anything
}

/** The keys whose values routing-keys.ts checks, carried into the configuration as they are. */
export const ROUTING_KEYS = ['presets', 'subscriptions', 'eventMap', 'customEvents', 'consent'] as const

/** Keys of a single service configuration beside the destination's: the write keys it accepts events with. */
export const SERVICE_KEYS: Readonly<Record<string, ValueCheck>> = {
  writeKeys: isKeyList
}

/** The one key of a multi-source service file: `{ "sources": { "<key>": destination config } }`. */
export const SOURCES_KEY = 'sources'

/** Every key a destination configuration (a single config, or one entry of "sources") may hold. */
export const DESTINATION_CONFIG_KEYS: readonly string[] = [...new Set([...SETTING_KEYS, ...Object.keys(RUNNER_KEYS)])]

/** The sendEvent action's fields: the names `mapping` may override. */
export const MAPPING_FIELDS = actionFields as Readonly<Record<string, { properties?: Record<string, unknown> }>>
