import { loadConfig } from '../runner/config'
import type { RunnerConfig } from '../runner/config'
import { messageOf, registerSecret, UsageError } from './errors'

/** Destination settings from --config and the META_* environment variables; problems are usage errors (exit 2). */
export function readConfig(configFile: string | undefined, env: NodeJS.ProcessEnv = process.env): RunnerConfig {
  let config: RunnerConfig
  try {
    config = loadConfig(configFile, env)
  } catch (error) {
    throw new UsageError(messageOf(error))
  }
  registerSecret(config.settings.accessToken)
  return config
}

/** The pixel must be configured wherever a real token is. */
export function requirePixel(config: RunnerConfig): void {
  if (!config.settings.pixelId) {
    throw new UsageError('no pixel ID configured: set META_PIXEL_ID, or "pixelId" in the --config file')
  }
}

/** Stand-in credentials for a dry run, which never reaches Meta but goes through the same settings validation. */
export const DRY_RUN_PIXEL_ID = '100000000000001'
const DRY_RUN_TOKEN = 'dry-run'

export function dryRunConfig(config: RunnerConfig): RunnerConfig {
  const settings = {
    ...config.settings,
    pixelId: config.settings.pixelId || DRY_RUN_PIXEL_ID,
    accessToken: config.settings.accessToken || DRY_RUN_TOKEN
  }
  return { ...config, settings }
}
