/**
 * Our copy of actions-core's empty-value rule against actions-core's own (not exported, so read from its file):
 * the same result on the action's schema and on generated schemas, for generated values.
 */
import { join, dirname } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { fieldsToJsonSchema } from '@segment/actions-core'
import fc from 'fast-check'
import destination from '../../src/destinations/meta-pixel'
import { withoutEmptyValues } from '../../src/runner/empty-values'
import type { EmptyValueSchema } from '../../src/runner/empty-values'
import { fuzzParameters } from '../fuzz/parameters'

type Rule = (value: unknown, schema?: EmptyValueSchema) => unknown
// eslint-disable-next-line @typescript-eslint/no-require-imports
const actionsCore = require(join(dirname(require.resolve('@segment/actions-core')), 'remove-empty-values.js')) as {
  removeEmptyValues: Rule
}

const KEYS = ['a', 'b', 'c', 'email', '__proto__', 'constructor']

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, '', 0, false, 'x', undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 5 })
  )
})).value

const schema: fc.Arbitrary<EmptyValueSchema> = fc.letrec((tie) => ({
  schema: fc.record(
    {
      type: fc.oneof(
        fc.constantFrom('string', 'object', 'array', 'null', 'number'),
        fc.subarray(['string', 'null', 'object', 'array'])
      ),
      enum: fc.constant(['x']),
      items: tie('schema'),
      properties: fc.dictionary(fc.constantFrom(...KEYS), tie('schema'), { maxKeys: 4 })
    },
    { requiredKeys: [] }
  )
})).schema as fc.Arbitrary<EmptyValueSchema>

const text = (result: unknown) => JSON.stringify(result) ?? 'undefined'

describe('withoutEmptyValues, against actions-core removeEmptyValues', () => {
  it('agrees on generated schemas and values, key order and prototypes included', () => {
    fc.assert(
      fc.property(value, schema, (input, rules) => {
        const ours = withoutEmptyValues(input, rules)
        const theirs = actionsCore.removeEmptyValues(input, rules)
        expect(text(ours)).toBe(text(theirs))
        // Node's strict comparison (prototypes, own keys): jest's reads an own `constructor` key as the type.
        expect(isDeepStrictEqual(ours, theirs)).toBe(true)
      }),
      fuzzParameters(2000)
    )
  })

  it("agrees on the sendEvent action's own schema", () => {
    const actionSchema = fieldsToJsonSchema(destination.actions.sendEvent.fields) as EmptyValueSchema
    const payload = fc.dictionary(
      fc.constantFrom(...Object.keys(destination.actions.sendEvent.fields), ...KEYS),
      value,
      { maxKeys: 12 }
    )
    fc.assert(
      fc.property(payload, (input) => {
        expect(withoutEmptyValues(input, actionSchema)).toStrictEqual(
          actionsCore.removeEmptyValues(input, actionSchema)
        )
      }),
      fuzzParameters(500)
    )
  })

  it('hands back a plain object or an array with nothing to drop as it is, and copies only what changes', () => {
    const rules: EmptyValueSchema = {
      type: 'object',
      properties: {
        user: { type: 'object', properties: { email: { type: 'string' } } },
        list: { type: 'array', items: { type: 'number' } },
        count: { type: 'number' }
      }
    }
    const user = { email: 'a@example.com' }
    const list = [1, 2]
    const whole = { user, list, count: 1 }
    expect(withoutEmptyValues(whole, rules)).toBe(whole)
    const changed = withoutEmptyValues({ user, list, count: '' }, rules) as Record<string, unknown>
    expect(changed).toEqual({ user, list })
    expect(changed.user).toBe(user)
    expect(changed.list).toBe(list)
  })

  it('drops a null or an empty string the field does not allow, and keeps array items as they were', () => {
    const rules: EmptyValueSchema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        count: { type: 'number' },
        note: { type: ['string', 'null'] },
        list: { type: 'array', items: { type: 'object', properties: { id: { type: 'number' } } } }
      }
    }
    const input = { name: '', count: '', note: null, list: [{ id: null, other: 1 }, { id: 2 }], extra: null }
    expect(withoutEmptyValues(input, rules)).toEqual({
      name: '',
      note: null,
      list: [{ id: null, other: 1 }, { id: 2 }],
      extra: null
    })
  })
})
