/**
 * One contract, two sides: whatever the destination builds and sends, the sandbox (standing in for Meta, with the
 * rules of lib/contract/event-rules) accepts. Real Segment events and Amplitude events (through the adapter), with
 * times from eight days ago to a day ahead and damaged by random mutations, go through performBatch with every
 * preset's mapping and each action source; every request that reaches "Meta" is checked by the sandbox's own
 * request validation at the moment it arrives.
 */
import fc from 'fast-check'
import nock from 'nock'
import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../../src'
import { amplitudeToSegment } from '../../src/lib/amplitude'
import { ACTION_SOURCES } from '../../src/lib/contract/meta-constants'
import { findRequestError } from '../../src/sandbox/validate-request'
import { ACTIONS_CORE_CRASHES, amplitudeSeeds, mutatedEvent, segmentSeeds } from './arbitraries'
import { fuzzParameters } from './parameters'

const settings = {
  pixelId: '123456789012345',
  accessToken: 'EAAB-fuzz-token-never-printed',
  partnerAgent: 'fuzz-agent',
  apiVersion: 'v26.0'
}

const presetMappings = (definition.presets ?? []).flatMap((preset) =>
  preset.type === 'automatic' ? [preset.mapping as JSONObject] : []
)

const DAY_MS = 24 * 60 * 60 * 1000
const now = Date.now()
const seeds = [
  ...segmentSeeds(now),
  ...amplitudeSeeds(now).flatMap((event) => {
    const adapted = amplitudeToSegment(event)
    return adapted.ok ? [adapted.event as unknown as Record<string, unknown>] : []
  })
]

/** A seed moved in time (a clock running ahead, an old upload) and then perhaps damaged. */
const input = fc
  .tuple(mutatedEvent(seeds, 3), fc.integer({ min: -8 * DAY_MS, max: DAY_MS }))
  .map(([event, offsetMs]) => {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return { event }
    return { ...event, timestamp: new Date(now + offsetMs).toISOString() } as Record<string, unknown>
  })

interface Rejection {
  error: unknown
  body: unknown
}

let rejections: Rejection[] = []
let eventsSent = 0

function answerAsTheSandbox(): void {
  nock('https://graph.facebook.com')
    .persist()
    .post(/\/v26\.0\/123456789012345\/events/)
    .reply((_uri, body) => {
      const request = body as Record<string, unknown>
      const rejected = findRequestError(request, Date.now(), 'AFuzz')
      if (rejected) {
        rejections.push({ error: rejected.body.error, body: request })
        return [rejected.status, rejected.body]
      }
      const received = (request.data as unknown[]).length
      eventsSent += received
      return [200, { events_received: received, messages: [], fbtrace_id: 'AFuzz' }]
    })
}

beforeAll(() => nock.disableNetConnect())
afterAll(() => nock.enableNetConnect())
beforeEach(() => {
  rejections = []
  eventsSent = 0
  answerAsTheSandbox()
})
afterEach(() => nock.cleanAll())

describe('the destination and the sandbox share one contract', () => {
  it('never sends an event the sandbox rejects', async () => {
    const destination = new Destination(definition)
    await fc.assert(
      fc.asyncProperty(
        fc.array(input, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...presetMappings),
        fc.constantFrom(...ACTION_SOURCES),
        async (events, mapping, defaultActionSource) => {
          fc.pre(!events.some(ACTIONS_CORE_CRASHES.nullContext))
          rejections = []
          try {
            await destination.executeBatch('sendEvent', {
              events: events as unknown as SegmentEvent[],
              mapping,
              settings: { ...settings, defaultActionSource }
            })
          } finally {
            destination.responses.splice(0)
          }
          const first = rejections[0]
          if (first) {
            throw new Error(`the sandbox rejected what the destination sent: ${JSON.stringify(first)}`.slice(0, 4000))
          }
        }
      ),
      fuzzParameters(150)
    )
    // Not vacuous: valid events did reach the sandbox.
    expect(eventsSent).toBeGreaterThan(0)
  })
})
