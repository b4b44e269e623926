/**
 * The compiled mapping against actions-core's own `transform`, on the presets' mappings and on generated mappings
 * of the directives it compiles, over generated events: the same payload (key order included) or the same error.
 */
import { transform } from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'
import fc from 'fast-check'
import destination from '../../src/destinations/meta-pixel'
import { compileMapping } from '../../src/runner/mapping'
import { mutatedEvent, segmentSeeds } from '../fuzz/arbitraries'
import { fuzzParameters } from '../fuzz/parameters'

type Answer = { value: string } | { error: string }

// JSON text keeps key order; undefined inside arrays shows as null in both, which is what a request would carry.
function answerOf(run: () => unknown): Answer {
  try {
    return { value: JSON.stringify(run()) ?? 'undefined' }
  } catch (error) {
    // actions-core's validation errors carry stack frames in their message; the frames name the caller.
    const lines = (error as Error).message.split('\n').filter((line) => !line.trimStart().startsWith('at '))
    return { error: lines.join(' ').split(' ').filter(Boolean).join(' ') }
  }
}

function expectSameAnswer(mapping: JSONObject, event: object) {
  const compiled = answerOf(() => compileMapping(mapping)(event))
  const host = answerOf(() => transform(mapping, event as JSONObject))
  expect(compiled).toEqual(host)
}

const KEYS = ['a', 'b', 'c', '0', '1', 'length', 'x y', "it's", '$', '__proto__', 'constructor']
const PATHS = [
  '$.a',
  '$.a.b',
  '$.a.b.c',
  '$.a[0]',
  '$.a[1].b',
  "$.a['b']",
  '$.a["x y"]',
  "$.a['it\\'s']",
  '$.',
  '.',
  '',
  'a.b',
  '$.a..b',
  'x.$.a',
  '$.$.a',
  '$.a.length',
  '$.a.0',
  '$.constructor',
  '$.a.b[0]["c"]'
]

const eventValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, '', 0, false, true, 1, 'text', '  ', 'b'),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 })
  )
})).value

const event = fc.dictionary(fc.constantFrom(...KEYS), eventValue, { maxKeys: 5 })

const mappingNode: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, '', 0, false, 'literal', '$.a'),
    fc.constantFrom(...PATHS).map((path) => ({ '@path': path })),
    fc
      .record(
        {
          exists: tie('node'),
          blank: tie('node'),
          then: tie('node'),
          else: tie('node')
        },
        { requiredKeys: [] }
      )
      .map((options) => ({ '@if': options })),
    fc
      .tuple(fc.oneof(fc.constantFrom(...PATHS), tie('node')), fc.oneof(tie('object'), fc.constant({})))
      .map((options) => ({ '@arrayPath': options })),
    fc.constantFrom(...PATHS).map((path) => ({ '@path': path, _metadata: { note: 'ignored' } })),
    // Directives the compiler leaves to actions-core, and shapes actions-core refuses: both must still agree.
    fc.constantFrom(
      { '@template': '{{a}}-{{a.b}}' },
      { '@path': { '@path': '$.a' } },
      { '@path': '$.a', '@if': { exists: '$.a' } },
      { '@if': 'not an object' },
      { '@arrayPath': '$.a' },
      { '@unknown': 1 },
      { '@path': '$.a', other: 1 }
    ),
    fc.array(tie('node'), { maxLength: 3 }),
    tie('object')
  ),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 4 })
})).node

describe('compileMapping, against actions-core transform', () => {
  const now = Date.parse('2026-11-22T08:00:00.000Z')

  it.each(destination.presets?.map((preset) => [preset.name, preset]) ?? [])(
    'the %s preset maps damaged real events as actions-core does',
    (_name, preset) => {
      const mapping = (preset as { mapping: JSONObject }).mapping
      fc.assert(
        fc.property(mutatedEvent(segmentSeeds(now)), (input) => {
          if (input === null || typeof input !== 'object') return
          expectSameAnswer(mapping, input)
        }),
        fuzzParameters(40)
      )
    }
  )

  it('generated mappings of @path, @if and @arrayPath resolve as actions-core resolves them', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), mappingNode, { maxKeys: 4 }), event, (mapping, input) =>
        expectSameAnswer(mapping as JSONObject, input)
      ),
      fuzzParameters(600)
    )
  })

  it('reads paths the way actions-core does, falsy values part-way included', () => {
    const input = { a: { b: 0, c: '', list: [{ b: 'first' }] }, z: null }
    const mapping = {
      zero: { '@path': '$.a.b.c' },
      empty: { '@path': '$.a.c.d' },
      nothing: { '@path': '$.z.y' },
      bracket: { '@path': "$.a['list'][0].b" },
      whole: { '@path': '$.' },
      items: { '@arrayPath': ['$.a.list', { name: { '@path': '$.b' } }] }
    }
    expect(compileMapping(mapping)(input)).toEqual({
      zero: 0,
      empty: '',
      nothing: null,
      bracket: 'first',
      whole: input,
      items: [{ name: 'first' }]
    })
    expectSameAnswer(mapping, input)
  })

  it('an invalid mapping fails each event with actions-core own message', () => {
    const mapping = { value: { '@path': { '@path': '$.missing' } } }
    expect(() => compileMapping(mapping)({})).toThrow('@path: expected string, got undefined')
    expectSameAnswer(mapping, { missing: '$.a', a: 5 })
  })
})
