import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { parseFql } from '@segment/destination-subscriptions'
import definition from '../destinations/meta-pixel'
import { presetMapping } from '../destinations/meta-pixel/presets'
import type { RunnerConfig } from './config'
import { isRecord } from '../lib/is-record'
import { tolerantMatcher } from './event-names'

export interface Route {
  name: string
  subscribe: string
  mapping: JSONObject
  matches(event: SegmentEvent): boolean
}

/** A mapping value that is an actions-core directive (`@path`, `@if`…) rather than an object of fields. */
export function isDirective(value: Record<string, unknown>): boolean {
  return Object.keys(value).some((key) => key.startsWith('@'))
}

/** User overrides replace a preset's field; object fields such as user_data are merged key by key. */
export function mergeMapping(base: JSONObject, overrides: Record<string, unknown> = {}): JSONObject {
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key]
    const mergeable = isRecord(current) && isRecord(value) && !isDirective(current) && !isDirective(value)
    merged[key] = mergeable ? { ...current, ...value } : value
  }
  return merged as JSONObject
}

function compile(name: string, subscribe: string, mapping: JSONObject): Route {
  const parsed = parseFql(subscribe)
  if ('error' in parsed && parsed.error) throw new Error(`Invalid subscription for ${name}: ${parsed.error.message}`)
  return { name, subscribe, mapping, matches: tolerantMatcher(parsed) }
}

// A user's Amplitude map may name events no preset sends: custom events, and PageView (its preset matches page calls
// only); only those it names are sent, under a route of their own.
function customEventRoutes(config: RunnerConfig, presetRoutes: Route[]): Route[] {
  const unrouted = (name: string) =>
    !presetRoutes.some((route) => route.matches({ type: 'track', event: name } as SegmentEvent))
  const customNames = [...new Set(Object.values(config.amplitudeEventMap))].filter(unrouted)
  return customNames.map((name) =>
    compile(
      `Custom: ${name}`,
      `type = "track" and event = "${name}"`,
      mergeMapping(presetMapping(name), config.mapping)
    )
  )
}

/** The subscriptions a host would create from the presets, with the user's mapping overrides applied. */
export function buildRoutes(config: RunnerConfig): Route[] {
  const presetRoutes = (definition.presets ?? []).flatMap((preset) =>
    preset.type === 'automatic'
      ? [compile(preset.name ?? preset.subscribe, preset.subscribe, mergeMapping(preset.mapping ?? {}, config.mapping))]
      : []
  )
  return [...presetRoutes, ...customEventRoutes(config, presetRoutes)]
}

/** Amplitude's own Meta integration sends every event property as custom data; its events do the same here. */
export function withAllPropertiesAsCustomData(route: Route): Route {
  if (route.mapping.custom_data !== undefined) return route
  return { ...route, mapping: { ...route.mapping, custom_data: { '@path': '$.properties' } } }
}
