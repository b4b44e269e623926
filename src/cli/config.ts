import { ConfigError } from '../runner/config'
import type { RunnerConfig } from '../runner/config'
import { registerSecret, UsageError } from './errors'

/**
 * Runs one of the runner's config loaders for a command: a configuration problem is a usage error (exit 2, the reason
 * on stderr), and every access token it holds is registered so that no output ever shows it.
 */
export function readConfig<T>(load: () => T, configsOf: (loaded: T) => RunnerConfig[]): T {
  let loaded: T
  try {
    loaded = load()
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message)
    throw error
  }
  for (const config of configsOf(loaded)) registerSecret(config.settings.accessToken)
  return loaded
}
