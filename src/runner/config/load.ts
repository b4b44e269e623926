import { readFileSync } from 'node:fs'
import { parseEventMap } from '../../lib/amplitude'
import { isRecord } from '../../lib/is-record'
import type { Settings } from '../../destinations/meta-pixel'
import { ConfigError, mappingProblems, throwIfProblems, unknownKeyProblems, valueProblems } from './check'
import { routingProblems } from './routing-keys'
import { DESTINATION_CONFIG_KEYS, ROUTING_KEYS, RUNNER_KEYS, SERVICE_KEYS, SOURCES_KEY } from './schema'
import type { RunnerConfig } from './types'

export const SHAPES =
  'either { "sources": { "<key>": { "pixelId": "…", "accessToken": "…", … } } } ' +
  'or one destination config with "writeKeys": ["<key>", …]'

/** A configuration file as read: one destination config (with its write keys), or several keyed sources. */
export type ConfigFile =
  | { shape: 'single'; where: string; config: RunnerConfig; writeKeys: string[] }
  | { shape: 'sources'; where: string; sources: { key: string; where: string; config: RunnerConfig }[] }

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${(error as Error).message}`)
  }
}

function eventMapOf(value: unknown, where: string): Record<string, string> {
  if (isRecord(value)) return { ...(value as Record<string, string>) }
  try {
    return parseEventMap(value as string | undefined)
  } catch (error) {
    throw new ConfigError(`"amplitudeEventMap" in ${where}: ${(error as Error).message}`)
  }
}

/** A destination config from an object of settings plus the runner's keys; unknown keys and bad values refused. */
function readDestinationConfig(
  object: Record<string, unknown>,
  where: string,
  extraKeys: readonly string[] = [],
  hints: readonly string[] = []
): RunnerConfig {
  throwIfProblems([
    ...unknownKeyProblems(object, [...DESTINATION_CONFIG_KEYS, ...extraKeys], where, hints),
    ...valueProblems(object, RUNNER_KEYS, where),
    ...(isRecord(object.mapping) ? mappingProblems(object.mapping, where) : []),
    ...routingProblems(object, where)
  ])
  const settings = Object.fromEntries(
    Object.entries(object).filter(([key]) => !(key in RUNNER_KEYS) && !extraKeys.includes(key))
  )
  return {
    settings: settings as unknown as Settings,
    ...(object.mapping !== undefined && { mapping: object.mapping as Record<string, unknown> }),
    ...Object.fromEntries(ROUTING_KEYS.filter((key) => object[key] !== undefined).map((key) => [key, object[key]])),
    amplitudeEventMap: eventMapOf(object.amplitudeEventMap, where)
  }
}

function readSources(file: Record<string, unknown>, path: string): ConfigFile {
  const where = `the config file ${path}`
  throwIfProblems(
    unknownKeyProblems(file, [SOURCES_KEY], `${where} (a file with "sources" holds nothing else; ${SHAPES})`)
  )
  if (!isRecord(file.sources)) throw new ConfigError(`"sources" in ${where} must be an object of key → settings`)
  const entries = Object.entries(file.sources)
  if (entries.length === 0) throw new ConfigError(`"sources" in ${where} lists no key`)
  const sources = entries.map(([key, entry], position) => {
    // The key is a credential: errors name its position, never the key.
    const entryWhere = `source #${position + 1} of ${where}`
    if (!key.trim()) throw new ConfigError(`${entryWhere} has an empty key`)
    if (!isRecord(entry)) throw new ConfigError(`${entryWhere} must be an object of destination settings`)
    return { key, where: entryWhere, config: readDestinationConfig(entry, entryWhere) }
  })
  return { shape: 'sources', where, sources }
}

/**
 * The --config file, of either shape, with every key checked; the environment is not applied here. Without a file,
 * an empty single config.
 */
export function readConfigFile(path: string | undefined): ConfigFile {
  if (path === undefined) {
    return {
      shape: 'single',
      where: 'the environment',
      config: { settings: {} as Settings, amplitudeEventMap: {} },
      writeKeys: []
    }
  }
  return readConfigObject(readJson(path), `the config file ${path}`, path)
}

/** A configuration already parsed (a file's content, or a page's exported config), checked as readConfigFile does. */
export function readConfigObject(file: unknown, where: string, path = where): ConfigFile {
  if (!isRecord(file)) throw new ConfigError(`${where} must hold a JSON object: ${SHAPES}`)
  if (SOURCES_KEY in file) return readSources(file, path)
  const serviceKeys = Object.keys(SERVICE_KEYS)
  throwIfProblems(valueProblems(file, SERVICE_KEYS, where))
  const config = readDestinationConfig(file, where, serviceKeys, [SOURCES_KEY])
  const writeKeys = ((file.writeKeys as string[] | undefined) ?? []).map((key) => key.trim())
  return { shape: 'single', where, config, writeKeys }
}

/** META_PIXEL_ID, META_ACCESS_TOKEN and META_TEST_EVENT_CODE win over a single config's settings. */
export function withEnvironment(config: RunnerConfig, env: NodeJS.ProcessEnv): RunnerConfig {
  const settings = {
    ...config.settings,
    ...(env.META_PIXEL_ID && { pixelId: env.META_PIXEL_ID.trim() }),
    ...(env.META_ACCESS_TOKEN && { accessToken: env.META_ACCESS_TOKEN }),
    ...(env.META_TEST_EVENT_CODE && { testEventCode: env.META_TEST_EVENT_CODE })
  }
  return { ...config, settings }
}
