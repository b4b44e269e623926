/**
 * Meta's own param-builder unit-test vectors (test data copied from github.com/facebook/capi-param-builder, see
 * the JSON's $source) as golden tests: our normal form equals Meta's, or the difference is one of the README's
 * listed deviations, and for every agreeing vector our hash is exactly Meta's hash.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import golden from './param-builder-vectors.json'
import { deviation, ourNormalForm, ourSent, pbSent } from './param-builder-oracle'
import type { OracleKey } from './param-builder-oracle'

interface Vector {
  key: OracleKey
  input: string
  expected: string | null
}

const HEX = /^(?:[a-f0-9]{64}|[a-f0-9]{32})$/i
const vectors = golden.vectors as Vector[]
const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8')

/** The vector's expectation as the whole param builder sends it: a digest it passes through is lowercased; '' is nothing. */
function pipelineForm({ input, expected }: Vector): string | null {
  if (HEX.test(input.trim())) return input.trim().toLowerCase()
  return expected === '' ? null : expected
}

describe("Meta's param-builder test vectors", () => {
  const outcomes = vectors.map((vector) => {
    const ours = ourNormalForm(vector.key, vector.input)
    const pb = pipelineForm(vector)
    return { vector, ours, pb, deviation: ours === pb ? undefined : deviation(vector.key, vector.input, ours, pb) }
  })

  it('has the vectors of every key', () => {
    const keys = new Set(vectors.map((vector) => vector.key))
    expect([...keys].sort()).toEqual(['country', 'ct', 'db', 'em', 'external_id', 'fn', 'ge', 'ph', 'st', 'zp'])
    expect(vectors.length).toBeGreaterThan(1800)
  })

  it('agrees with every vector, except where a README deviation explains the difference', () => {
    const unexplained = outcomes
      .filter((outcome) => outcome.ours !== outcome.pb && outcome.deviation === undefined)
      .map(({ vector, ours, pb }) => `${vector.key} ${JSON.stringify(vector.input)}: ours ${ours}, Meta ${pb}`)
    expect(unexplained).toEqual([])
    const counts: Record<string, number> = {}
    for (const outcome of outcomes)
      counts[outcome.deviation ?? 'agree'] = (counts[outcome.deviation ?? 'agree'] ?? 0) + 1
    console.log(`param-builder vectors: ${JSON.stringify(counts)}`)
  })

  it('names only deviations the README lists', () => {
    const used = new Set(outcomes.flatMap((outcome) => (outcome.deviation ? [outcome.deviation] : [])))
    for (const id of used) expect({ id, listed: readme.includes(`(${id})`) }).toEqual({ id, listed: true })
  })

  it("sends exactly Meta's hash for every vector where the normal forms agree", () => {
    const agreeing = outcomes.filter((outcome) => outcome.ours === outcome.pb && outcome.ours !== null)
    expect(agreeing.length).toBeGreaterThan(1000)
    for (const { vector } of agreeing) {
      expect([vector.key, vector.input, ourSent(vector.key, vector.input)]).toEqual([
        vector.key,
        vector.input,
        pbSent(vector.key, vector.input)
      ])
    }
  })
})
