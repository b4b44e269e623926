import type { InputField } from '@segment/actions-core'

/** A field default: a literal or a mapping-kit directive. */
export type FieldValue = NonNullable<InputField['default']>

export function path(jsonPath: string): FieldValue {
  return { '@path': jsonPath }
}

/** The first of several event paths that exists, as nested @if directives (mapping-kit has no coalesce). */
export function firstOf(...jsonPaths: string[]): FieldValue {
  const [first, ...rest] = jsonPaths
  if (rest.length === 0) return path(first)
  return { '@if': { exists: path(first), then: path(first), else: firstOf(...rest) } }
}

/** Maps an array of products (or one product object) to CAPI contents items. */
export function contentsFrom(jsonPath: string): FieldValue {
  return {
    '@arrayPath': [
      jsonPath,
      {
        id: firstOf('$.product_id', '$.sku', '$.id'),
        quantity: path('$.quantity'),
        item_price: path('$.price')
      }
    ]
  }
}

/** The first of several event paths that exists, but only when `absentPath` is absent (else nothing is mapped). */
export function unlessPresent(absentPath: string, ...jsonPaths: string[]): FieldValue {
  return { '@if': { exists: path(absentPath), else: firstOf(...jsonPaths) } }
}
