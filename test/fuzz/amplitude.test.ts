/**
 * Fuzzing the Amplitude adapter: arbitrary JSON and damaged HTTP V2 and export events through amplitudeToSegment.
 * Properties: it never throws, answers a well-formed Segment event or a 400 that quotes no personal data, and is
 * pure (the same input always gives the same output, which Meta's deduplication of Amplitude retries relies on).
 */
import fc from 'fast-check'
import { amplitudeToSegment } from '../../src/lib/amplitude'
import { amplitudeSeeds, anyInput, piiIn } from './arbitraries'
import { fuzzParameters } from './parameters'

const seeds = amplitudeSeeds(Date.now())
const eventMap = fc.oneof(
  fc.constant(undefined),
  fc.constant({ 'Order Completed': 'Lead' }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(fc.string({ maxLength: 10 }), fc.anything({ maxDepth: 1 }))),
  fc.anything({ maxDepth: 2 })
)

describe('amplitudeToSegment on arbitrary input', () => {
  it('never throws; answers a Segment event or a 400 without personal data', () => {
    fc.assert(
      fc.property(anyInput(seeds), eventMap, (input, map) => {
        const result = amplitudeToSegment(input, { eventMap: map as Record<string, string> | undefined })
        if (result.ok) {
          const event = result.event as unknown as Record<string, unknown>
          expect(['track', 'page']).toContain(event.type)
          if (event.type === 'track') expect(typeof event.event).toBe('string')
          expect(typeof event.messageId).toBe('string')
          expect(Number.isNaN(Date.parse(String(event.timestamp)))).toBe(false)
          expect(event.userId !== undefined || event.anonymousId !== undefined).toBe(true)
        } else {
          expect(result.status).toBe(400)
          expect(typeof result.error).toBe('string')
          const leaked = piiIn(result.error)
          if (leaked) throw new Error(`error leaks "${leaked}": ${result.error.slice(0, 200)}`)
        }
      }),
      fuzzParameters(1500)
    )
  })

  it('is pure: the same input gives a deep-equal result, and the input is not modified', () => {
    fc.assert(
      fc.property(anyInput(seeds), (input) => {
        const before = structuredCloneOrSelf(input)
        const first = amplitudeToSegment(input)
        const second = amplitudeToSegment(input)
        expect(second).toEqual(first)
        expect(input).toEqual(before)
      }),
      fuzzParameters(800)
    )
  })
})

function structuredCloneOrSelf(value: unknown): unknown {
  try {
    return structuredClone(value)
  } catch {
    return value
  }
}
