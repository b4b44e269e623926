import type { Settings } from '../../destinations/meta-pixel'
import type { RoutingConfig } from '../routing'

/** A destination configuration: the settings, and the runner's choice of events, names and mappings. */
export interface RunnerConfig extends RoutingConfig {
  /** The destination settings, exactly as a host would store them. */
  settings: Settings
  /** Amplitude event type → Meta event name, on top of the adapter's defaults. */
  amplitudeEventMap: Record<string, string>
}

/** Where events go: Meta (or META_GRAPH_URL), or the embedded sandbox, which the caller starts. */
export type Target = 'meta' | 'sandbox'

export interface ConfigSources {
  /** --config FILE, when given. */
  file?: string
  env: NodeJS.ProcessEnv
  /** --sandbox: deliver to the embedded sandbox whatever is configured. */
  sandbox?: boolean
}
