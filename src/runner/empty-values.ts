/**
 * actions-core's batch rule for empty values, which its executeBatch applies to every mapped payload before
 * validation: a null where the schema allows no null, or an empty string where it allows no string, is dropped,
 * and an array keeps only the items that would not be dropped (as they were, not cleaned). actions-core does not
 * export it; test/runner/empty-values.test.ts holds this one to its code, and test/runner/action.test.ts the whole path
 * to executeBatch.
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

// A new object built key by key (no spread copy and `delete`, which leave V8 a slow dictionary object); an own
// `__proto__` key, which plain assignment would turn into a prototype, is defined as the own key it was.
function withoutEmptyProperties(value: Record<string, unknown>, properties: Record<string, EmptyValueSchema>) {
  const kept: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const cleaned = withoutEmptyValues(value[key], properties[key])
    if (cleaned === undefined) continue
    if (key === '__proto__')
      Object.defineProperty(kept, key, { value: cleaned, enumerable: true, writable: true, configurable: true })
    else kept[key] = cleaned
  }
  return kept
}

export function withoutEmptyValues(value: unknown, schema: EmptyValueSchema = {}): unknown {
  if (!schema.type && !schema.enum) return value
  if (Array.isArray(value)) {
    const items = schema.items
    return items ? value.filter((item) => withoutEmptyValues(item, items) !== undefined) : value
  }
  if (typeof value === 'object' && value !== null && isObject(value)) {
    const properties = schema.properties
    return properties ? withoutEmptyProperties(value, properties) : value
  }
  if (value === null && !allows(schema, 'null')) return undefined
  if (value === '' && !allows(schema, 'string')) return undefined
  return value
}
