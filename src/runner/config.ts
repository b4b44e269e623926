import { readFileSync } from 'node:fs'
import { parseEventMap } from '../lib/amplitude'
import type { Settings } from '../destinations/meta-pixel'
import type { RoutingConfig } from './routing'

export interface RunnerConfig extends RoutingConfig {
  /** The destination settings, exactly as a host would store them. */
  settings: Settings
  /** Amplitude event type → Meta event name, on top of the adapter's defaults. */
  amplitudeEventMap: Record<string, string>
}

interface ConfigFile extends Partial<Omit<Settings, 'amplitudeEventMap'>>, RoutingConfig {
  amplitudeEventMap?: Record<string, string> | string
}

function readConfigFile(path: string | undefined): ConfigFile {
  if (!path) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new Error(`Cannot read the config file ${path}: ${(error as Error).message}`)
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`The config file ${path} must hold a JSON object of destination settings`)
  }
  return parsed as ConfigFile
}

function eventMapOf(value: ConfigFile['amplitudeEventMap']): Record<string, string> {
  return typeof value === 'string' || value === undefined ? parseEventMap(value) : { ...value }
}

/** Settings from a JSON file, with the META_* environment variables taking precedence. */
export function loadConfig(configFile: string | undefined, env: NodeJS.ProcessEnv = process.env): RunnerConfig {
  const { mapping, amplitudeEventMap, presets, subscriptions, eventMap, customEvents, consent, ...fileSettings } =
    readConfigFile(configFile)
  const settings: Settings = {
    ...fileSettings,
    ...(env.META_PIXEL_ID && { pixelId: env.META_PIXEL_ID }),
    ...(env.META_ACCESS_TOKEN && { accessToken: env.META_ACCESS_TOKEN }),
    ...(env.META_TEST_EVENT_CODE && { testEventCode: env.META_TEST_EVENT_CODE })
  } as Settings
  return {
    settings,
    mapping,
    presets,
    subscriptions,
    eventMap,
    customEvents,
    consent,
    amplitudeEventMap: eventMapOf(amplitudeEventMap)
  }
}

/** True when no real Meta token is configured, so the runner must use its embedded sandbox. */
export function needsSandbox(config: RunnerConfig): boolean {
  return !config.settings.accessToken
}
