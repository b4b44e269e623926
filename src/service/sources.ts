import { readFileSync } from 'node:fs'
import type { Settings } from '../destinations/meta-pixel'
import { parseEventMap } from '../lib/amplitude'
import { loadConfig, type RunnerConfig } from '../runner/config'
import { isRecord } from '../lib/is-record'

const SHAPES =
  'either { "sources": { "<key>": { "pixelId": "…", "accessToken": "…", … } } } ' +
  'or one destination config with "writeKeys": ["<key>", …]'

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown
  } catch (error) {
    throw new Error(`Cannot read the service config file ${path}: ${(error as Error).message}`)
  }
}

function eventMapOf(value: unknown, where: string): Record<string, string> {
  if (value === undefined || typeof value === 'string') return parseEventMap(value)
  if (isRecord(value) && Object.values(value).every((name) => typeof name === 'string')) {
    return { ...(value as Record<string, string>) }
  }
  throw new Error(`${where}: amplitudeEventMap must be an object of "Amplitude event": "Meta event" or a string`)
}

/** One entry of { "sources": { … } }; a missing accessToken falls back to META_ACCESS_TOKEN. */
function sourceConfig(entry: unknown, where: string, env: NodeJS.ProcessEnv): RunnerConfig {
  if (!isRecord(entry)) throw new Error(`${where} must be an object of destination settings`)
  const { mapping, amplitudeEventMap, ...settings } = entry
  if (typeof settings.pixelId !== 'string' || !settings.pixelId.trim()) {
    throw new Error(`${where} needs a "pixelId" string (digits, in quotes)`)
  }
  if (mapping !== undefined && !isRecord(mapping)) throw new Error(`${where}: mapping must be an object`)
  // One system-user token often serves every pixel a partner sends for (Meta's partner guide), so it can come
  // from the environment instead of being repeated in the file.
  if (settings.accessToken === undefined && env.META_ACCESS_TOKEN) settings.accessToken = env.META_ACCESS_TOKEN
  return {
    settings: settings as unknown as Settings,
    ...(mapping !== undefined && { mapping }),
    amplitudeEventMap: eventMapOf(amplitudeEventMap, where)
  }
}

function multiSourceConfig(file: Record<string, unknown>, path: string, env: NodeJS.ProcessEnv) {
  const extra = Object.keys(file).filter((key) => key !== 'sources')
  if (extra.length > 0) {
    throw new Error(`The service config file ${path} has "sources" and also ${extra.join(', ')}; expected ${SHAPES}`)
  }
  if (!isRecord(file.sources)) throw new Error(`In ${path}, "sources" must be an object of key → destination settings`)
  if (env.META_WRITE_KEY) {
    throw new Error(`META_WRITE_KEY adds a key to a single destination config, but ${path} lists "sources"`)
  }
  const entries = Object.entries(file.sources)
  if (entries.length === 0) throw new Error(`In ${path}, "sources" lists no key`)
  const sources: Record<string, RunnerConfig> = {}
  entries.forEach(([key, entry], position) => {
    // The key is a credential: errors name its position, never the key.
    if (!key.trim()) throw new Error(`In ${path}, source #${position + 1} has an empty key`)
    sources[key] = sourceConfig(entry, `In ${path}, source #${position + 1}`, env)
  })
  return sources
}

function writeKeysOf(value: unknown, where: string): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((key) => typeof key === 'string' && key.trim())) {
    throw new Error(`${where}: "writeKeys" must be an array of non-empty strings`)
  }
  return value.map((key: string) => key.trim())
}

/**
 * The keys and destination configs `meta-pixel serve` runs with, from a config file of either shape:
 * { "sources": { "<key>": { pixelId, accessToken, mapping?, amplitudeEventMap?, ...settings } } }, or one destination
 * config plus "writeKeys": ["…"]. For the single config, META_PIXEL_ID / META_ACCESS_TOKEN / META_TEST_EVENT_CODE
 * override the file (as for the runner) and META_WRITE_KEY adds a key; with no file the environment is the config.
 */
export function loadServiceSources(
  configFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env
): Record<string, RunnerConfig> {
  const file = configFile === undefined ? {} : readJson(configFile)
  const where = configFile === undefined ? 'The environment' : `The service config file ${configFile}`
  if (!isRecord(file)) throw new Error(`${where} must hold a JSON object: ${SHAPES}`)
  if ('sources' in file) return multiSourceConfig(file, configFile as string, env)

  const { writeKeys, mapping, amplitudeEventMap, ...fileSettings } = file
  const keys = [
    ...new Set([...writeKeysOf(writeKeys, where), ...(env.META_WRITE_KEY ? [env.META_WRITE_KEY.trim()] : [])])
  ]
  if (keys.length === 0) {
    throw new Error(`${where} names no key to accept events with: add "writeKeys" or set META_WRITE_KEY (${SHAPES})`)
  }
  if (mapping !== undefined && !isRecord(mapping)) throw new Error(`${where}: mapping must be an object`)
  const fromEnv = loadConfig(undefined, env).settings
  const settings = { ...fileSettings, ...fromEnv } as unknown as Settings
  if (typeof settings.pixelId !== 'string' || !settings.pixelId.trim()) {
    throw new Error(`${where} has no "pixelId" (nor META_PIXEL_ID): expected ${SHAPES}`)
  }
  const config: RunnerConfig = {
    settings,
    ...(mapping !== undefined && { mapping }),
    amplitudeEventMap: eventMapOf(amplitudeEventMap, where)
  }
  return Object.fromEntries(keys.map((key) => [key, config]))
}
