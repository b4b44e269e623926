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

// An own `__proto__` key, which plain assignment would turn into a prototype, is defined as the own key it was.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}

// A plain object itself while nothing in it changes (most payloads have nothing to drop); from the first change on,
// or for any other prototype (actions-core's copy is a plain object), a new object built key by key (no spread copy
// and `delete`, which leave V8 a slow dictionary object).
function withoutEmptyProperties(value: Record<string, unknown>, properties: Record<string, EmptyValueSchema>) {
  let kept: Record<string, unknown> | undefined = Object.getPrototypeOf(value) === Object.prototype ? undefined : {}
  const keys = Object.keys(value)
  keys.forEach((key, index) => {
    const cleaned = withoutEmptyValues(value[key], properties[key])
    if (kept === undefined) {
      if (cleaned !== undefined && Object.is(cleaned, value[key])) return
      kept = {}
      for (const earlier of keys.slice(0, index)) setOwn(kept, earlier, value[earlier])
    }
    if (cleaned !== undefined) setOwn(kept, key, cleaned)
  })
  return kept ?? value
}

const keptItem = (items: EmptyValueSchema) => (item: unknown) => withoutEmptyValues(item, items) !== undefined

export function withoutEmptyValues(value: unknown, schema: EmptyValueSchema = {}): unknown {
  if (!schema.type && !schema.enum) return value
  if (Array.isArray(value)) {
    const items = schema.items
    if (!items || value.every(keptItem(items))) return value
    return value.filter(keptItem(items))
  }
  if (typeof value === 'object' && value !== null && isObject(value)) {
    const properties = schema.properties
    return properties ? withoutEmptyProperties(value, properties) : value
  }
  if (value === null && !allows(schema, 'null')) return undefined
  if (value === '' && !allows(schema, 'string')) return undefined
  return value
}
