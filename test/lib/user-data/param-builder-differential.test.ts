/**
 * Differential test: for generated realistic values of every hashed key, what we send equals what Meta's param
 * builder (capi-param-builder-nodejs) sends, unless one of the README's listed deviations explains the difference.
 * Replay a failure with PARAM_BUILDER_SEED=<seed printed below>; PARAM_BUILDER_RUNS sets the runs per key.
 */
import fc from 'fast-check'
import { deviation, ourNormalForm, ourSent, pbNormalForm, pbSent } from './param-builder-oracle'
import type { OracleKey } from './param-builder-oracle'
import { valuesOf } from './param-builder-values'

const SEED = Number(process.env.PARAM_BUILDER_SEED ?? 20261129)
const RUNS = Number(process.env.PARAM_BUILDER_RUNS ?? 300)
const KEYS: OracleKey[] = ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country', 'external_id']

beforeAll(() => console.log(`param-builder differential: seed ${SEED}, ${RUNS} runs per key`))

describe.each(KEYS)('%s against capi-param-builder', (key) => {
  it('sends what Meta sends, or differs only as the README lists', () => {
    const deviations: Record<string, number> = {}
    fc.assert(
      fc.property(valuesOf(key), (value) => {
        const ours = ourSent(key, value)
        const pb = pbSent(key, value)
        if (ours === pb) return true
        const explained = deviation(key, value, ourNormalForm(key, value), pbNormalForm(key, value))
        if (explained) deviations[explained] = (deviations[explained] ?? 0) + 1
        return explained !== undefined
      }),
      { seed: SEED, numRuns: RUNS }
    )
    if (Object.keys(deviations).length > 0) console.log(`${key}: deviations ${JSON.stringify(deviations)}`)
  })
})

describe("phone with the event's own country against capi-param-builder", () => {
  it("differs only by the calling code Meta requires and Meta's code leaves out", () => {
    fc.assert(
      fc.property(valuesOf('ph'), fc.constantFrom('us', 'gb', 'de', 'jp', 'br', 'in', 'fr'), (value, country) => {
        const ours = ourSent('ph', value, country)
        if (ours === pbSent('ph', value)) return true
        return deviation('ph', value, ourNormalForm('ph', value, country), pbNormalForm('ph', value)) !== undefined
      }),
      { seed: SEED, numRuns: RUNS }
    )
  })
})
