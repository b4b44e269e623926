import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { amplitudeToSegment, parseEventMap, type AdaptResult } from '../../../src/lib/amplitude'

const FIXTURE_DIR = join(__dirname, 'fixtures')
const validInputs: Record<string, unknown>[] = readdirSync(FIXTURE_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')).input)

const TOP_LEVEL_KEYS = [
  'event_type', 'user_id', 'device_id', 'time', 'event_time', 'insert_id', '$insert_id', 'uuid', 'ip', 'ip_address',
  'user_agent', 'platform', 'os_name', 'idfa', 'adid', 'price', 'quantity', 'revenue', 'productId', 'currency',
  'event_properties', 'user_properties', 'language', 'carrier', 'device_carrier'
] // prettier-ignore
const NESTED_KEYS = [
  '$revenue', '$price', '$quantity', '$productId', '$currency', 'products', 'revenue', 'price', 'quantity', 'value',
  'currency', 'fbc', 'fbp', 'fbclid', 'initial_fbclid', '[Amplitude] Page Location', '[Amplitude] Page Title',
  'referrer', 'user_agent', 'email', 'zip', '$set', '$setOnce', '__proto__'
] // prettier-ignore

type Mutation = { nested?: 'event_properties' | 'user_properties'; key: string; value: unknown }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ key: fc.constantFrom(...TOP_LEVEL_KEYS), value: fc.option(fc.anything(), { nil: undefined }) }),
  fc.record({
    nested: fc.constantFrom('event_properties' as const, 'user_properties' as const),
    key: fc.constantFrom(...NESTED_KEYS),
    value: fc.option(fc.anything(), { nil: undefined })
  })
)

/** A copy of the event with each mutation applied; an undefined value removes the key. */
function mutated(event: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(event)
  for (const { nested, key, value } of mutations) {
    const target = nested ? (copy[nested] = { ...(copy[nested] as object) }) : copy
    Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true })
  }
  return copy
}

function expectOkOr400(result: AdaptResult): void {
  if (result.ok) {
    expect(['track', 'page']).toContain(result.event.type)
    expect(result.event.messageId).not.toBe('')
    expect(result.event.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  } else {
    expect(result.status).toBe(400)
    expect(result.error.length).toBeGreaterThan(0)
  }
}

describe('amplitudeToSegment properties', () => {
  it('never throws on any value, and returns ok or a 400 with an error', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expectOkOr400(amplitudeToSegment(input))
      }),
      { numRuns: 500 }
    )
  })

  it('never throws on mutated valid events, and gives the same result twice', () => {
    fc.assert(
      fc.property(fc.constantFrom(...validInputs), fc.array(mutation, { maxLength: 6 }), (event, mutations) => {
        const input = mutated(event, mutations)
        const result = amplitudeToSegment(input)
        expectOkOr400(result)
        expect(amplitudeToSegment(input)).toStrictEqual(result)
      }),
      { numRuns: 500 }
    )
  })

  it('parseEventMap returns name pairs or throws an Error, for any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const map = parseEventMap(text)
          for (const [name, target] of Object.entries(map)) {
            expect(name.trim()).not.toBe('')
            expect(target.trim()).not.toBe('')
          }
        } catch (error) {
          expect(error).toBeInstanceOf(Error)
        }
      })
    )
  })
})
