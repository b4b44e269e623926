import { isRecord } from '../src/lib/is-record'
/**
 * Where the framework floor's time goes, measured by changing only the mapping handed to executeBatch
 * (no source change): each variant is the Purchase preset mapping with one kind of default removed or simplified.
 */
import { fieldsToJsonSchema, validateSchema } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { transformBatch } from '@segment/actions-core/mapping-kit'
import { fields } from '../src/destinations/meta-pixel/sendEvent/fields'
import { MAX_EVENTS_PER_REQUEST } from '../src/lib/capi-event'
import { measure } from './measure'
import type { Sample } from './measure'
import { frameworkFloor } from './scenarios'

type Json = JSONObject[string]

function isObject(value: unknown): value is Record<string, Json> {
  return isRecord(value)
}

/** firstOf(a, b, c) → { '@path': a }: the cost of the nested @if chains, not an equivalent mapping. */
export function collapseFirstOf(value: Json): Json {
  if (Array.isArray(value)) return value.map(collapseFirstOf)
  if (!isObject(value)) return value
  const condition = value['@if']
  if (isObject(condition) && JSON.stringify(condition.exists) === JSON.stringify(condition.then)) {
    return collapseFirstOf(condition.then)
  }
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, collapseFirstOf(inner)]))
}

export function withoutKeys(mapping: JSONObject, ...keys: string[]): JSONObject {
  return Object.fromEntries(Object.entries(mapping).filter(([key]) => !keys.includes(key))) as JSONObject
}

/** The smallest mapping Meta accepts for a website Purchase: the framework's fixed cost per event. */
export function minimalMapping(mapping: JSONObject): JSONObject {
  const pick = ['event_name', 'event_time', 'event_id', 'value', 'currency', 'event_source_url']
  const userData = mapping.user_data as Record<string, Json>
  return {
    ...Object.fromEntries(pick.filter((key) => key in mapping).map((key) => [key, mapping[key]])),
    user_data: { email: { '@path': '$.context.traits.email' }, client_user_agent: userData.client_user_agent }
  } as JSONObject
}

/** app_data resolved only when the event comes from an app (Segment's mobile libraries set context.app). */
export function appDataBehindIf(mapping: JSONObject): JSONObject {
  if (!isObject(mapping.app_data)) return mapping
  return { ...mapping, app_data: { '@if': { exists: { '@path': '$.context.app' }, then: mapping.app_data } } }
}

export function mappingVariants(mapping: JSONObject): { name: string; mapping: JSONObject }[] {
  const appDataDefaults = isObject(mapping.app_data) ? Object.keys(mapping.app_data).length : 0
  return [
    { name: 'Purchase preset, as shipped', mapping },
    { name: `without the ${appDataDefaults} app_data defaults`, mapping: withoutKeys(mapping, 'app_data') },
    { name: 'app_data behind @if exists $.context.app', mapping: appDataBehindIf(mapping) },
    { name: 'firstOf @if chains → first @path', mapping: collapseFirstOf(mapping) as JSONObject },
    {
      name: 'no app_data + firstOf collapsed',
      mapping: collapseFirstOf(withoutKeys(mapping, 'app_data')) as JSONObject
    },
    { name: 'minimal (6 fields + email, UA)', mapping: minimalMapping(mapping) }
  ]
}

export function countDirectives(value: Json): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countDirectives(item), 0)
  if (!isObject(value)) return 0
  const own = Object.keys(value).some((key) => key.startsWith('@')) ? 1 : 0
  return own + Object.values(value).reduce((sum: number, item) => sum + countDirectives(item), 0)
}

export function variantFloor(events: SegmentEvent[], mapping: JSONObject): Promise<Sample> {
  return frameworkFloor(events, mapping)
}

/** mapping-kit alone: transformBatch per 1,000 events, as Action.executeBatch calls it. */
export function mappingOnly(events: SegmentEvent[], mapping: JSONObject): Promise<Sample> {
  return measure(async () => {
    let mapped = 0
    for (let start = 0; start < events.length; start += MAX_EVENTS_PER_REQUEST) {
      mapped += transformBatch(
        mapping,
        events.slice(start, start + MAX_EVENTS_PER_REQUEST) as unknown as BatchData
      ).length
    }
    return { events: events.length, ok: mapped }
  })
}

type BatchData = Parameters<typeof transformBatch>[1]

const schema = fieldsToJsonSchema(fields)

/** AJV alone: actions-core's validateSchema of already mapped payloads against the action's schema. */
export function validationOnly(payloads: unknown[]): Promise<Sample> {
  const copies = payloads.map((payload) => structuredClone(payload) as Record<string, unknown>)
  return measure(async () => {
    let valid = 0
    for (const payload of copies) {
      try {
        validateSchema(payload, schema, { schemaKey: 'bench:sendEvent', throwIfInvalid: true })
        valid++
      } catch {
        // counted as invalid
      }
    }
    return { events: copies.length, ok: valid }
  })
}
