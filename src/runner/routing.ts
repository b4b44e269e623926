import { defaultValues } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { parseFql, validate } from '@segment/destination-subscriptions'
import definition from '../destinations/meta-pixel'
import { presetMapping } from '../destinations/meta-pixel/presets'
import { fields } from '../destinations/meta-pixel/sendEvent/fields'
import { containsEmail } from '../lib/email-like'
import { eventNameKey } from '../lib/event-name'
import { isRecord } from '../lib/is-record'
import { applyConsent, DEFAULT_CONSENT_POLICY } from './consent'
import { readsTypeAndNameOnly, rememberingByName, tolerantMatcher } from './event-names'
import type { RoutingConfig, SubscriptionConfig } from './routing-config'
import type { ConsentPolicy } from './consent'

export type { CustomEventsConfig, RoutingConfig, SubscriptionConfig } from './routing-config'

export interface Route {
  name: string
  subscribe: string
  mapping: JSONObject
  matches(event: SegmentEvent): boolean
}

export type RouteDecision = { event: SegmentEvent; route: Route } | { skipped: string }

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

/**
 * A route from FQL. Tolerant routes (the presets, and the routes the event map adds) also match another spelling of a
 * name they compare exactly (order_completed for Order Completed); the user's own subscriptions are FQL as written.
 */
function compile(name: string, subscribe: string, mapping: JSONObject, tolerant = true): Route {
  const parsed = parseFql(subscribe)
  if ('error' in parsed && parsed.error) {
    // The FQL parser's own message is about its internals ("reading 'type'"); the user needs the text they wrote.
    throw new Error(
      `Invalid subscription for ${name}: ${JSON.stringify(subscribe)} is not valid FQL (${parsed.error.message})`
    )
  }
  const matches = tolerant ? tolerantMatcher(parsed) : (event: SegmentEvent) => validate(parsed, event)
  return { name, subscribe, mapping, matches: readsTypeAndNameOnly(parsed) ? rememberingByName(matches) : matches }
}

const PRESET_ROUTES: Route[] = (definition.presets ?? []).flatMap((preset) =>
  preset.type === 'automatic'
    ? [compile(preset.name ?? preset.subscribe, preset.subscribe, (preset.mapping ?? {}) as JSONObject)]
    : []
)

export const PRESET_NAMES: readonly string[] = PRESET_ROUTES.map((route) => route.name)

function chosenPresets(choice: RoutingConfig['presets']): Route[] {
  if (choice === false) return []
  if (choice === undefined || choice === true) return PRESET_ROUTES
  const unknown = choice.filter((name) => !PRESET_NAMES.includes(name))
  if (unknown.length > 0) {
    throw new Error(
      `Unknown preset ${unknown.map((name) => `"${name}"`).join(', ')}; presets are: ${PRESET_NAMES.join(', ')}`
    )
  }
  return PRESET_ROUTES.filter((route) => choice.includes(route.name))
}

function withOverrides(route: Route, overrides: Record<string, unknown> | undefined): Route {
  return overrides ? { ...route, mapping: mergeMapping(route.mapping, overrides) } : route
}

function subscriptionRoute(subscription: SubscriptionConfig): Route {
  const preset = subscription.preset && PRESET_ROUTES.find((route) => route.name === subscription.preset)
  if (subscription.preset && !preset) {
    throw new Error(
      `Subscription "${subscription.name}": unknown preset "${subscription.preset}"; presets are: ${PRESET_NAMES.join(', ')}`
    )
  }
  const base = preset ? preset.mapping : actionDefaults()
  return compile(subscription.name, subscription.subscribe, mergeMapping(base, subscription.mapping), false)
}

/** The action's own defaults, as a host's new subscription starts: event_name from the event's name. */
function actionDefaults(): JSONObject {
  return defaultValues(fields) as JSONObject
}

/** Custom events go under their own name with every property as custom data, as Amplitude's Meta integration does. */
function customRoute(
  name: string,
  eventName: string | undefined,
  overrides: Record<string, unknown> | undefined
): Route {
  const named = eventName === undefined ? actionDefaults() : presetMapping(eventName)
  const base = mergeMapping(named, { custom_data: { '@path': '$.properties' } })
  const subscribe = eventName ? `type = "track" and event = "${eventName.replace(/"/g, '\\"')}"` : 'type = "track"'
  return compile(name, subscribe, mergeMapping(base, overrides))
}

/** Amplitude's own Meta integration sends every event property as custom data; its events do the same here. */
export function withAllPropertiesAsCustomData(route: Route): Route {
  if (route.mapping.custom_data !== undefined) return route
  return { ...route, mapping: { ...route.mapping, custom_data: { '@path': '$.properties' } } }
}

function nameSet(names: readonly string[] | undefined): Set<string> {
  return new Set((names ?? []).map(eventNameKey))
}

function lookUpName(map: Record<string, string>, name: string): string | undefined {
  const key = eventNameKey(name)
  return Object.entries(map).find(([source]) => eventNameKey(source) === key)?.[1]
}

/**
 * The routes that send events by name, as a host's subscriptions would: the chosen presets with the user's mapping
 * overrides, and a route for each name the event maps give that no chosen preset sends (a custom name, or PageView,
 * whose preset matches page calls).
 */
export function buildRoutes(config: RoutingConfig, amplitudeEventMap: Record<string, string> = {}): Route[] {
  const presets = chosenPresets(config.presets).map((route) => withOverrides(route, config.mapping))
  const mappedNames = [...Object.values(config.eventMap ?? {}), ...Object.values(amplitudeEventMap)]
  const unrouted = (name: string) =>
    !presets.some((route) => route.matches({ type: 'track', event: name } as SegmentEvent))
  const mappedRoutes = [...new Set(mappedNames)]
    .filter(unrouted)
    .map((name) => customRoute(`Custom: ${name}`, name, config.mapping))
  return [...presets, ...mappedRoutes]
}

/**
 * The runner's host: which route, if any, sends an event. In order: the deny list, consent, the user's
 * subscriptions (first match), the event map (renaming the event), the presets, the allowed custom events.
 */
export class EventRouter {
  private readonly subscriptions: Route[]
  private readonly standard: { segment: Route[]; amplitude: Route[] }
  /** Sends allowed custom events; absent when none are allowed. */
  private readonly custom?: Route
  private readonly customAllowsAll: boolean
  private readonly customAllowed: Set<string>
  private readonly denied: Set<string>
  private readonly eventMap: Record<string, string>
  private readonly consent: ConsentPolicy
  private readonly limitedDataUseRoutes = new Map<Route, Route>()

  constructor(config: RoutingConfig, amplitudeEventMap: Record<string, string> = {}) {
    this.subscriptions = (config.subscriptions ?? []).map(subscriptionRoute)
    this.eventMap = config.eventMap ?? {}
    const segment = buildRoutes(config, amplitudeEventMap)
    this.standard = { segment, amplitude: segment.map(withAllPropertiesAsCustomData) }
    const allow = config.customEvents?.allow
    this.customAllowsAll = allow === 'all'
    this.customAllowed = nameSet(Array.isArray(allow) ? allow : [])
    if (this.customAllowsAll || this.customAllowed.size > 0) {
      this.custom = customRoute('Custom events', undefined, config.mapping)
    }
    this.denied = nameSet(config.customEvents?.deny)
    this.consent = { ...DEFAULT_CONSENT_POLICY, ...config.consent }
  }

  /** The Amplitude event map the adapter renames with: the generalised event map, the Amplitude one winning. */
  static amplitudeEventMap(config: RoutingConfig, amplitudeEventMap: Record<string, string>): Record<string, string> {
    return { ...config.eventMap, ...amplitudeEventMap }
  }

  /**
   * @param sourceName the event's name as the source sent it (an Amplitude event_type before the adapter renamed
   * it), so the deny list wins over every renaming.
   */
  route(event: SegmentEvent, source: 'segment' | 'amplitude', sourceName?: string): RouteDecision {
    const name = event.type === 'track' && typeof event.event === 'string' ? event.event : undefined
    const denied = [sourceName, name].find(
      (candidate) => candidate !== undefined && this.denied.has(eventNameKey(candidate))
    )
    if (denied !== undefined) return { skipped: `${quoted(denied)} is on the deny list` }
    const consent = applyConsent(event, this.consent)
    if (!consent.send) return { skipped: consent.skipped }
    const found = this.find(event, name, source)
    if ('skipped' in found || !consent.limitedDataUse) return found
    return { event: found.event, route: this.withLimitedDataUse(found.route) }
  }

  private find(event: SegmentEvent, name: string | undefined, source: 'segment' | 'amplitude'): RouteDecision {
    const subscribed = this.subscriptions.find((route) => route.matches(event))
    if (subscribed) return { event, route: subscribed }
    const mappedName = name !== undefined && source === 'segment' ? lookUpName(this.eventMap, name) : undefined
    const named = mappedName ? ({ ...event, event: mappedName } as SegmentEvent) : event
    const finalName = mappedName ?? name
    if (finalName !== undefined && this.denied.has(eventNameKey(finalName))) {
      return { skipped: `${quoted(finalName)} is on the deny list` }
    }
    const standard = this.standard[source].find((route) => route.matches(named))
    if (standard) return { event: named, route: standard }
    if (this.custom && finalName !== undefined && this.allowsCustom(finalName))
      return { event: named, route: this.custom }
    return { skipped: `no preset matches ${describe(named)}` }
  }

  private allowsCustom(name: string): boolean {
    return this.customAllowsAll || this.customAllowed.has(eventNameKey(name))
  }

  private withLimitedDataUse(route: Route): Route {
    let flagged = this.limitedDataUseRoutes.get(route)
    if (!flagged) {
      flagged = {
        ...route,
        name: `${route.name} (Limited Data Use)`,
        mapping: { ...route.mapping, data_processing_options: true }
      }
      this.limitedDataUseRoutes.set(route, flagged)
    }
    return flagged
  }
}

/** An event name as reasons quote it; a name holding an email address is not repeated (reasons reach logs and SDKs). */
function quoted(name: string): string {
  return containsEmail(name) ? '(a name holding an email address)' : `"${name}"`
}

function describe(event: SegmentEvent): string {
  return event.type === 'track' ? `track ${quoted(String(event.event))}` : `${event.type} event`
}
