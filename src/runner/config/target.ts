import { ConfigError, settingsProblems, throwIfProblems } from './check'
import { readConfigFile, readConfigObject, SHAPES, withEnvironment, type ConfigFile } from './load'
import type { ConfigSources, RunnerConfig, Target } from './types'

/** The token the embedded sandbox accepts; it opens nothing but that sandbox, so it is no secret. */
export const SANDBOX_ACCESS_TOKEN = 'sandbox-access-token'
export const SANDBOX_PIXEL_ID = '100000000000001'
/** Stand-ins for a dry run, which never reaches Meta but goes through the same settings validation. */
export const DRY_RUN_PIXEL_ID = '100000000000001'
const DRY_RUN_TOKEN = 'dry-run'

const SANDBOX_HINT = 'or pass --sandbox to deliver to the embedded sandbox instead'

/** The configuration with other credentials; a configured pixel is kept, so its settings are still checked. */
function withCredentials(config: RunnerConfig, pixelId: string, accessToken: string): RunnerConfig {
  return { ...config, settings: { ...config.settings, pixelId: config.settings.pixelId || pixelId, accessToken } }
}

export function sandboxConfig(config: RunnerConfig): RunnerConfig {
  return withCredentials(config, SANDBOX_PIXEL_ID, SANDBOX_ACCESS_TOKEN)
}

/**
 * Meta, when a token is configured (with a pixel, or it is an error); the embedded sandbox only when asked for, or
 * when nothing names a Meta target at all (no file, no token, no pixel, no META_GRAPH_URL: demo and trial runs).
 * Anything in between is an error: a typo in a token's key must not send production traffic to the sandbox.
 */
function decideTarget(config: RunnerConfig, where: string, input: ConfigSources): Target {
  if (input.sandbox) return 'sandbox'
  const { accessToken, pixelId } = config.settings
  if (accessToken) {
    if (!pixelId) throw new ConfigError(`${where} has an access token but no pixel ID: set "pixelId" or META_PIXEL_ID`)
    return 'meta'
  }
  const named =
    input.file !== undefined
      ? where
      : pixelId
        ? 'META_PIXEL_ID'
        : input.env.META_GRAPH_URL
          ? 'META_GRAPH_URL'
          : undefined
  if (named === undefined) return 'sandbox'
  throw new ConfigError(
    `${named} names a Meta target but no access token is configured: set "accessToken" or META_ACCESS_TOKEN, ` +
      SANDBOX_HINT
  )
}

function singleConfig(file: ConfigFile, command: string): Extract<ConfigFile, { shape: 'single' }> {
  if (file.shape === 'single') return file
  throw new ConfigError(
    `${file.where} lists several "sources", which only "serve" takes; ${command} takes one destination config`
  )
}

function checked(config: RunnerConfig, where: string): RunnerConfig {
  throwIfProblems(settingsProblems(config.settings as unknown as Record<string, unknown>, where))
  return config
}

/** send and check: one destination config and where it delivers, the sandbox's credentials swapped in for it. */
export function loadRunnerConfig(input: ConfigSources, command: string): { config: RunnerConfig; target: Target } {
  return resolveSingle(singleConfig(readConfigFile(input.file), command), input)
}

function resolveSingle(file: Extract<ConfigFile, { shape: 'single' }>, input: ConfigSources) {
  const config = withEnvironment(file.config, input.env)
  const target = decideTarget(config, file.where, input)
  return { config: checked(target === 'sandbox' ? sandboxConfig(config) : config, file.where), target }
}

/** map: never sends, so the target does not matter; missing credentials get stand-ins, all else is checked. */
export function loadDryRunConfig(input: ConfigSources, command: string): RunnerConfig {
  return dryRun(singleConfig(readConfigFile(input.file), command), input.env)
}

/** The mapping preview's dry run: the config it exports, checked exactly as `map --config` would check that file. */
export function dryRunConfigOf(object: unknown, where: string): RunnerConfig {
  return dryRun(singleConfig(readConfigObject(object, where), 'map'), {})
}

function dryRun(file: Extract<ConfigFile, { shape: 'single' }>, env: NodeJS.ProcessEnv): RunnerConfig {
  const config = withEnvironment(file.config, env)
  return checked(withCredentials(config, DRY_RUN_PIXEL_ID, config.settings.accessToken || DRY_RUN_TOKEN), file.where)
}

/** demo: its events are made up, so it delivers to the sandbox whatever token is configured. */
export function loadDemoConfig(input: ConfigSources): RunnerConfig {
  const file = singleConfig(readConfigFile(input.file), 'demo')
  return checked(sandboxConfig(withEnvironment(file.config, input.env)), file.where)
}

export interface ServiceSources {
  /** Write key / API key → destination config; keys that share a config share one object (and one batcher). */
  sources: Record<string, RunnerConfig>
  target: Target
}

function multiSource(file: Extract<ConfigFile, { shape: 'sources' }>, input: ConfigSources, keys: string[]) {
  if (keys.length > 0) {
    throw new ConfigError(
      `--write-key and META_WRITE_KEY add keys to one destination config, but ${file.where} lists "sources"`
    )
  }
  const target: Target = input.sandbox ? 'sandbox' : 'meta'
  const byKey: Record<string, RunnerConfig> = {}
  for (const entry of file.sources) {
    // One system-user token often serves every pixel a partner sends for (Meta's partner guide).
    const token = entry.config.settings.accessToken || input.env.META_ACCESS_TOKEN
    const config = { ...entry.config, settings: { ...entry.config.settings, ...(token && { accessToken: token }) } }
    if (!config.settings.pixelId) throw new ConfigError(`${entry.where} has no "pixelId"`)
    if (target === 'meta') decideTarget(config, entry.where, { ...input, file: entry.where })
    byKey[entry.key] = checked(target === 'sandbox' ? sandboxConfig(config) : config, entry.where)
  }
  return { sources: byKey, target }
}

/**
 * serve: the keys and destination configs, from a config file of either shape: { "sources": { "<key>": config } }
 * (an entry without a token uses META_ACCESS_TOKEN), or one destination config plus "writeKeys", to which
 * META_WRITE_KEY and --write-key add keys and META_* override settings; with no file the environment is the config.
 */
export function loadServiceSources(input: ConfigSources & { writeKeys?: string[] }): ServiceSources {
  const file = readConfigFile(input.file)
  const extraKeys = [...(input.writeKeys ?? []), ...(input.env.META_WRITE_KEY ? [input.env.META_WRITE_KEY] : [])]
    .map((key) => key.trim())
    .filter(Boolean)
  if (file.shape === 'sources') return multiSource(file, input, extraKeys)
  const keys = [...new Set([...file.writeKeys, ...extraKeys])]
  if (keys.length === 0) {
    throw new ConfigError(
      `${file.where} names no key to accept events with: add "writeKeys", set META_WRITE_KEY or pass --write-key (${SHAPES})`
    )
  }
  const { config, target } = resolveSingle(file, input)
  return { sources: Object.fromEntries(keys.map((key) => [key, config])), target }
}
