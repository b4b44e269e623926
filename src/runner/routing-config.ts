/** How a hostless user tells the runner which events go, and under which name: the host's subscriptions, as config. */
import type { ConsentPolicy } from './consent'

/** A subscription as a host stores it: FQL exactly as actions-core reads it, and a field mapping. */
export interface SubscriptionConfig {
  name: string
  subscribe: string
  /** Field mappings; on top of this preset's mapping when `preset` names one, else on the action's defaults. */
  mapping?: Record<string, unknown>
  preset?: string
}

export interface CustomEventsConfig {
  /** Track events nothing else routes that are sent under their own name: "all" or a list of names. */
  allow?: 'all' | string[]
  /** Events never sent, whatever else would route them. */
  deny?: string[]
}

/** How the runner chooses which events go, and under which name (the host's subscriptions, for hostless users). */
export interface RoutingConfig {
  /** Field mappings that replace the presets' defaults, e.g. { "action_source": "app" }. */
  mapping?: Record<string, unknown>
  /** The built-in presets: all (default), none, or those named. */
  presets?: boolean | string[]
  subscriptions?: SubscriptionConfig[]
  /** Source event name → a Meta standard event (sent with its preset) or a custom name, for every source. */
  eventMap?: Record<string, string>
  customEvents?: CustomEventsConfig
  consent?: Partial<ConsentPolicy>
}
