/**
 * actions-core's batch rule for empty values, which its executeBatch applies to every mapped payload before
 * validation: a null where the schema allows no null, or an empty string where it allows no string, is dropped,
 * and an array keeps only the items that would not be dropped (as they were, not cleaned). actions-core does not
 * export it; test/runner/action.test.ts holds this one to executeBatch's results.
 */
import { isObject } from '@segment/actions-core'

export interface EmptyValueSchema {
  type?: string | string[]
  enum?: unknown[]
  items?: EmptyValueSchema
  properties?: Record<string, EmptyValueSchema>
}

function allows(schema: EmptyValueSchema, type: string): boolean {
  return schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type))
}

export function withoutEmptyValues(value: unknown, schema: EmptyValueSchema = {}): unknown {
  if (!schema.type && !schema.enum) return value
  if (Array.isArray(value)) {
    const items = schema.items
    return items ? value.filter((item) => withoutEmptyValues(item, items) !== undefined) : value
  }
  if (isObject(value)) {
    const properties = schema.properties
    if (!properties) return value
    // A spread copy, then assignment, as actions-core does: an own `__proto__` key stays an own key.
    const kept: Record<string, unknown> = { ...value }
    for (const key of Object.keys(kept)) {
      kept[key] = withoutEmptyValues(kept[key], properties[key])
      if (kept[key] === undefined) delete kept[key]
    }
    return kept
  }
  if (value === null && !allows(schema, 'null')) return undefined
  if (value === '' && !allows(schema, 'string')) return undefined
  return value
}
