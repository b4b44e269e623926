/**
 * Fuzzing the action: arbitrary JSON and damaged real Segment events through perform (testAction with the default
 * mappings and the presets' mappings), the host path (Destination.onEvent) and performBatch (executeBatch).
 * Properties: only classified actions-core errors escape, every batch event gets exactly one answer, and no error
 * text carries the seeded personal data in the clear.
 */
import fc from 'fast-check'
import nock from 'nock'
import { createTestIntegration, Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../../src'
import { anyInput, ACTIONS_CORE_CRASHES, piiIn, segmentSeeds } from './arbitraries'
import { fuzzParameters } from './parameters'

const settings = {
  pixelId: '123456789012345',
  accessToken: 'EAAB-fuzz-token-never-printed',
  partnerAgent: 'fuzz-agent',
  apiVersion: 'v26.0',
  defaultActionSource: 'website'
}

/** Errors actions-core hosts classify; each carries the HTTP-like status that says whether to retry. */
const CLASSIFIED = new Set([
  'PayloadValidationError',
  'IntegrationError',
  'RetryableError',
  'InvalidAuthenticationError'
])
/** actions-core's schema validation error: testAction throws it as is, hosts (onEvent) give it status 400. */
const SCHEMA = new Set(['AggregateAjvError', 'ValidationError'])

const presets = (definition.presets ?? []).flatMap((preset) => (preset.type === 'automatic' ? [preset] : []))
const presetMappings = presets.map((preset) => preset.mapping as JSONObject)

/** Why a thrown value breaks the contract, or undefined when it is a classified error without personal data. */
function thrownProblem(error: unknown, { schemaNeedsStatus }: { schemaNeedsStatus: boolean }): string | undefined {
  if (!(error instanceof Error)) return `threw a non-Error: ${String(error)}`
  const status = (error as { status?: unknown }).status
  const leaked = piiIn(error.message)
  if (leaked) return `${error.name} message leaks "${leaked}": ${error.message.slice(0, 200)}`
  if (SCHEMA.has(error.name)) {
    return schemaNeedsStatus && typeof status !== 'number' ? `${error.name} without a status` : undefined
  }
  if (!CLASSIFIED.has(error.name)) return `unclassified ${error.name}: ${error.message.slice(0, 200)}`
  return typeof status === 'number' ? undefined : `${error.name} without a numeric status`
}

const seeds = segmentSeeds(Date.now())

function answerSuccess(): void {
  nock('https://graph.facebook.com')
    .persist()
    .post(/\/v26\.0\/123456789012345\/events/)
    .reply(200, (_uri, body) => ({
      events_received: (body as { data?: unknown[] }).data?.length ?? 0,
      messages: [],
      fbtrace_id: 'AFuzz'
    }))
}

beforeAll(() => nock.disableNetConnect())
afterAll(() => nock.enableNetConnect())
beforeEach(() => answerSuccess())
afterEach(() => nock.cleanAll())

describe('perform (testAction) on arbitrary input', () => {
  it('throws only classified actions-core errors, without personal data', async () => {
    const testDestination = createTestIntegration(definition)
    await fc.assert(
      fc.asyncProperty(anyInput(seeds), fc.constantFrom(...presetMappings), async (event, mapping) => {
        fc.pre(!ACTIONS_CORE_CRASHES.nullContext(event))
        try {
          await testDestination.testAction('sendEvent', {
            event: event as Partial<SegmentEvent>,
            settings,
            mapping,
            useDefaultMappings: true
          })
        } catch (error) {
          const problem = thrownProblem(error, { schemaNeedsStatus: false })
          if (problem) throw new Error(problem)
        }
      }),
      fuzzParameters(200)
    )
  })

  it('classifies any answer from Meta, without personal data', async () => {
    const testDestination = createTestIntegration(definition)
    const metaAnswer = fc.record({
      status: fc.integer({ min: 200, max: 599 }),
      body: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record({
          error: fc.record(
            {
              message: fc.string(),
              code: fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.string({ maxLength: 5 })),
              error_subcode: fc.integer(),
              is_transient: fc.oneof(fc.boolean(), fc.string({ maxLength: 5 })),
              error_user_msg: fc.string(),
              fbtrace_id: fc.string({ maxLength: 12 })
            },
            { requiredKeys: [] }
          )
        }),
        fc.string({ maxLength: 200 })
      )
    })
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds), metaAnswer, async (event, answer) => {
        nock.cleanAll()
        nock('https://graph.facebook.com')
          .post(/\/events/)
          .reply(answer.status, typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body))
        try {
          await testDestination.testAction('sendEvent', {
            event: event as Partial<SegmentEvent>,
            settings,
            mapping: presetMappings.find((mapping) => mapping.event_name === 'Purchase'),
            useDefaultMappings: true
          })
        } catch (error) {
          const problem = thrownProblem(error, { schemaNeedsStatus: false })
          if (problem) throw new Error(problem)
        }
      }),
      fuzzParameters(150)
    )
  })
})

describe('the host path (Destination.onEvent with every preset subscribed)', () => {
  it('throws only errors with a numeric status, without personal data', async () => {
    const destination = new Destination(definition)
    const subscriptions = presets.map((preset) => JSON.parse(JSON.stringify(preset)) as JSONObject)
    await fc.assert(
      fc.asyncProperty(anyInput(seeds), async (input) => {
        // Hosts only hand onEvent objects (actions-core itself reads event.type first).
        const event = input !== null && typeof input === 'object' && !Array.isArray(input) ? input : { event: input }
        fc.pre(!ACTIONS_CORE_CRASHES.nullContext(event))
        try {
          await destination.onEvent(event as SegmentEvent, { ...settings, subscriptions } as unknown as JSONObject)
        } catch (error) {
          const problem = thrownProblem(error, { schemaNeedsStatus: true })
          if (problem) throw new Error(problem)
        } finally {
          destination.responses.splice(0)
        }
      }),
      fuzzParameters(200)
    )
  })
})

describe('performBatch (executeBatch) on arbitrary batches', () => {
  it('answers every event exactly once with a status, and no error answer carries personal data', async () => {
    const destination = new Destination(definition)
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyInput(seeds), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(...presetMappings),
        async (events, mapping) => {
          // Hosts hand executeBatch objects; anything else never reaches it.
          const objects = events.map((event) =>
            event !== null && typeof event === 'object' && !Array.isArray(event) ? event : { event }
          )
          fc.pre(!objects.some(ACTIONS_CORE_CRASHES.nullContext))
          try {
            const nodes = (await destination.executeBatch('sendEvent', {
              events: objects as SegmentEvent[],
              mapping,
              settings
            })) as { status?: unknown; errormessage?: unknown; body?: unknown }[]
            expect(nodes).toHaveLength(objects.length)
            for (const node of nodes) {
              expect(typeof node.status).toBe('number')
              if ((node.status as number) >= 300) {
                const leaked = piiIn(node.errormessage) ?? piiIn(node.body)
                if (leaked)
                  throw new Error(`error answer leaks "${leaked}": ${String(node.errormessage).slice(0, 200)}`)
              }
            }
          } finally {
            destination.responses.splice(0)
          }
        }
      ),
      fuzzParameters(120)
    )
  })
})
