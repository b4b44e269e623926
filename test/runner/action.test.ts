/**
 * The runner's hosted action against the host path it replaces: the same events, mapping and settings through
 * actions-core's Destination.executeBatch and through HostedAction.prepare, build and deliver (the runner's path)
 * must make byte-identical requests and give every event the same status, message and sent event. Meta's answers
 * are scripted from the request body, so both paths meet the same refusals, bisections and retries.
 */
import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import fc from 'fast-check'
import nock from 'nock'
import { createDefinition } from '../../src/destinations/meta-pixel'
import { HostedAction } from '../../src/runner/action'
import { RequestSlots } from '../../src/runner/request-slots'
import { ACTIONS_CORE_CRASHES, mutatedEvent, segmentSeeds } from '../fuzz/arbitraries'
import { fuzzParameters } from '../fuzz/parameters'
import { invalidParameterBody, NOW_MS, settings } from '../helpers'

const HOST = 'http://host.meta.test'
const HOSTED = 'http://hosted.meta.test'

interface Answer {
  status: number
  error?: string
  sent?: string
}

interface MultiStatusNode {
  status: number
  errormessage?: string
  sent?: unknown
}

/** Meta's answer to one request body, decided by the body alone so both paths meet the same one. */
function scriptedAnswer(body: { data: { event_name: string; custom_data?: { value?: number } }[] }) {
  const data = body.data
  const refused = data.findIndex((event) => (event.custom_data?.value ?? 0) > 900)
  if (refused >= 0) {
    const message = `The parameter $['data'][${refused}]['custom_data']['value'] is too large.`
    return [400, invalidParameterBody(message, { fbtrace_id: 'trace-data' })] as const
  }
  if (data.some((event) => event.event_name === 'Lead')) {
    return [
      503,
      { error: { message: 'Service unavailable', code: 2, is_transient: true, fbtrace_id: 'trace-503' } }
    ] as const
  }
  return [200, { events_received: data.length, fbtrace_id: 'trace-ok' }] as const
}

function recordRequests(base: string): string[] {
  const bodies: string[] = []
  nock(base)
    .persist()
    .post(`/v26.0/${settings.pixelId}/events`)
    .reply(function (_uri, body) {
      bodies.push(JSON.stringify(body))
      return scriptedAnswer(body as Parameters<typeof scriptedAnswer>[0])
    })
  return bodies
}

async function throughHost(mapping: JSONObject, events: SegmentEvent[]): Promise<Answer[]> {
  const destination = new Destination(createDefinition({ graphUrl: HOST }))
  const nodes = (await destination.executeBatch('sendEvent', { events, mapping, settings })) as MultiStatusNode[]
  return nodes.map((node) => ({
    status: node.status,
    ...(node.status >= 300 && { error: node.errormessage }),
    ...(node.sent !== undefined && { sent: JSON.stringify(node.sent) })
  }))
}

async function throughHostedAction(mapping: JSONObject, events: SegmentEvent[]): Promise<Answer[]> {
  const action = new HostedAction(settings, { graph: { graphUrl: HOSTED }, slots: new RequestSlots(4) })
  const prepared = action.prepare(mapping, events)
  const payloads = prepared.flatMap((item) => (item.ok ? [item.payload] : []))
  const outcomes = await action.deliver(payloads, action.build(payloads))
  let next = 0
  return prepared.map((item): Answer => {
    if (!item.ok) return { status: 400, error: item.error }
    const outcome = outcomes[next++]
    if (outcome.kind === 'delivered') return { status: 200, sent: JSON.stringify(outcome.event) }
    if (outcome.kind === 'invalid') return { status: 400, error: outcome.message }
    return { status: outcome.error.status, error: outcome.error.message, sent: JSON.stringify(outcome.event) }
  })
}

const presets = createDefinition().presets ?? []
const presetNames = presets.map((preset) => preset.name as string)
const mappingOf = (name: string) => (presets.find((preset) => preset.name === name) as { mapping: JSONObject }).mapping

describe('HostedAction, against Destination.executeBatch', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW_MS))
  afterEach(() => {
    jest.restoreAllMocks()
    nock.cleanAll()
  })

  it('makes the same requests and gives the same result per event, on damaged real events of every preset', async () => {
    const hostBodies = recordRequests(HOST)
    const hostedBodies = recordRequests(HOSTED)
    const events = fc.array(mutatedEvent(segmentSeeds(NOW_MS)), { minLength: 1, maxLength: 12 })
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...presetNames), events, async (name, inputs) => {
        const usable = inputs.filter(
          (input) => input !== null && typeof input === 'object' && !ACTIONS_CORE_CRASHES.nullContext(input)
        ) as SegmentEvent[]
        if (usable.length === 0) return
        hostBodies.splice(0)
        hostedBodies.splice(0)
        const mapping = mappingOf(name)
        const host = await throughHost(mapping, structuredClone(usable))
        const hosted = await throughHostedAction(mapping, structuredClone(usable))
        expect(hosted).toEqual(host)
        expect(hostedBodies).toEqual(hostBodies)
      }),
      fuzzParameters(60)
    )
  })

  it('meets a schema refusal, our own refusal and a bisected data error as the host does, with exact results', async () => {
    const hostBodies = recordRequests(HOST)
    const hostedBodies = recordRequests(HOSTED)
    type Order = SegmentEvent & { properties: Record<string, unknown> }
    const order = segmentSeeds(NOW_MS).find((seed) => seed.event === 'Order Completed') as unknown as Order
    const tooLarge = structuredClone(order)
    tooLarge.properties.revenue = 950
    const noCurrency = structuredClone(order)
    noCurrency.properties.currency = 7
    const badTime = { ...structuredClone(order), timestamp: { not: 'a time' } }
    const events = [order, tooLarge, noCurrency, badTime, order] as SegmentEvent[]
    const host = await throughHost(mappingOf('Purchase'), structuredClone(events))
    const hosted = await throughHostedAction(mappingOf('Purchase'), structuredClone(events))
    expect(hosted.map(({ status }) => status)).toEqual([200, 400, 400, 400, 200])
    expect(hosted[1].error).toBe(
      "Invalid parameter: The parameter $['data'][1]['custom_data']['value'] is too large. (code 100, fbtrace_id trace-data)"
    )
    expect(hosted[2].error).toBe('currency is not an ISO-4217 code')
    expect(hosted[3].error).toBe('Event time must be a string or number but it was an object.')
    expect(hosted).toEqual(host)
    expect(hostBodies.length).toBeGreaterThan(1)
    expect(hostedBodies).toEqual(hostBodies)
  })
})
