import { createRequestClient, Destination } from '@segment/actions-core'
import type { ActionDefinition, DestinationDefinition, JSONObject, SegmentEvent } from '@segment/actions-core'
import { createDefinition } from '../src/destinations/meta-pixel'
import type { Settings } from '../src/destinations/meta-pixel'
import { DEFAULT_PARTNER_AGENT, eventsUrl } from '../src/destinations/meta-pixel/graph'
import type { Payload } from '../src/destinations/meta-pixel/sendEvent/payload'
import { buildServerEvent, MAX_EVENTS_PER_REQUEST } from '../src/lib/capi-event'
import type { BuildOptions, ServerEvent } from '../src/lib/capi-event'
import { Engine } from '../src/runner/engine'
import { cpuMicros, cpuPerEvent, measure, median } from './measure'
import type { Sample } from './measure'

export const PIXEL_ID = '123456789012345'

export const settings: Settings = {
  pixelId: PIXEL_ID,
  accessToken: 'EAAB-bench-token',
  apiVersion: 'v26.0',
  partnerAgent: DEFAULT_PARTNER_AGENT,
  defaultActionSource: 'website'
}

type SendEventAction = ActionDefinition<Settings, Payload>
type MetaDestination = Destination<Settings>

/** Requests the bench's definition reported, through its own observer (the bench runs one scenario at a time). */
const requestsMade = { count: 0 }
const definition = createDefinition({ onRequest: () => requestsMade.count++ })
const sendEvent = definition.actions.sendEvent as SendEventAction

/** The Purchase preset exactly as a host would subscribe it: its FQL and its mapping (the fields' defaults). */
export function purchasePreset(): { subscribe: string; mapping: JSONObject } {
  const preset = definition.presets?.find((candidate) => candidate.name === 'Purchase')
  if (!preset || preset.type !== 'automatic' || !preset.mapping) throw new Error('no automatic Purchase preset')
  return { subscribe: preset.subscribe, mapping: preset.mapping }
}

function withSendEvent(action: SendEventAction): DestinationDefinition<Settings> {
  return { ...definition, actions: { sendEvent: action } }
}

/** Framework floor: actions-core's mapping and schema validation with our fields, and a performBatch that does nothing. */
export function floorDestination(): MetaDestination {
  return new Destination(withSendEvent({ ...sendEvent, performBatch: () => undefined }))
}

/** The mapped payloads actions-core hands performBatch, for the work floor. */
export async function mappedPayloads(events: SegmentEvent[], mapping: JSONObject): Promise<Payload[][]> {
  const batches: Payload[][] = []
  const capture = new Destination(
    withSendEvent({
      ...sendEvent,
      performBatch: (_request, { payload }) => {
        batches.push(payload)
      }
    })
  )
  await executeInBatches(capture, events, mapping)
  return batches
}

/** Time and CPU spent inside perform/performBatch: our normalising, hashing, validation, serialising and sending. */
export interface InsideCounters {
  cpuUs: number
  wallMs: number
}

/** The real destination, with perform and performBatch wrapped to measure what happens inside them. */
export function instrumentedDestination(counters: InsideCounters): MetaDestination {
  const performBatch = sendEvent.performBatch
  const perform = sendEvent.perform
  if (!performBatch || !perform) throw new Error('sendEvent must have perform and performBatch')
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => R | Promise<R>) =>
    async (...args: A): Promise<R> => {
      const cpuStart = cpuMicros()
      const wallStart = performance.now()
      try {
        return await fn(...args)
      } finally {
        counters.cpuUs += cpuMicros() - cpuStart
        counters.wallMs += performance.now() - wallStart
      }
    }
  return new Destination(withSendEvent({ ...sendEvent, perform: timed(perform), performBatch: timed(performBatch) }))
}

interface MultiStatusNode {
  status: number
}

/** Destination.executeBatch per 1,000 events, one batch after the other, as one host worker would. */
export async function executeInBatches(
  destination: MetaDestination,
  events: SegmentEvent[],
  mapping: JSONObject
): Promise<number> {
  let ok = 0
  for (let start = 0; start < events.length; start += MAX_EVENTS_PER_REQUEST) {
    const nodes = (await destination.executeBatch('sendEvent', {
      events: events.slice(start, start + MAX_EVENTS_PER_REQUEST),
      mapping,
      settings
    })) as MultiStatusNode[]
    // actions-core keeps every response on the instance (reference §13); a host must drop them.
    destination.responses.splice(0)
    for (const node of nodes) if (node && node.status >= 200 && node.status < 300) ok++
  }
  return ok
}

async function countingRequests<T>(work: () => Promise<T>): Promise<{ value: T; requests: number }> {
  const before = requestsMade.count
  const value = await work()
  return { value, requests: requestsMade.count - before }
}

export function frameworkFloor(events: SegmentEvent[], mapping: JSONObject): Promise<Sample> {
  const destination = floorDestination()
  return measure(async () => ({ events: events.length, ok: await executeInBatches(destination, events, mapping) }))
}

function buildOptions(nowMs: number): BuildOptions {
  return {
    defaultActionSource: settings.defaultActionSource ?? 'website',
    limitedDataUse: { enabled: false, country: 0, state: 0 },
    nowMs
  }
}

/** Work floor: normalise, hash and serialise pre-mapped payloads in a plain loop; nothing else. */
export function workFloor(batches: Payload[][]): Promise<Sample> {
  let bytes = 0
  return measure(async () => {
    let events = 0
    let ok = 0
    for (const payloads of batches) {
      const options = buildOptions(Date.now())
      const data: ServerEvent[] = []
      for (const payload of payloads) {
        const built = buildServerEvent(payload, options)
        if (built.ok) data.push(built.event)
      }
      bytes += JSON.stringify({ data, partner_agent: settings.partnerAgent }).length
      events += payloads.length
      ok += data.length
    }
    // bytes is only read so the serialisation cannot be optimised away.
    return { events, ok: bytes > 0 ? ok : 0 }
  })
}

/** CPU µs per event of the work floor on these events (pre-mapped by actions-core): median of `runs` after a warm-up. */
export async function workFloorMicros(events: SegmentEvent[], runs = 5): Promise<number> {
  const payloads = await mappedPayloads(events, purchasePreset().mapping)
  await workFloor(payloads)
  const samples: number[] = []
  for (let run = 0; run < runs; run++) samples.push(cpuPerEvent(await workFloor(payloads)))
  return median(samples)
}

/** End to end through performBatch: executeBatch per 1,000 events to the sandbox, sequentially. */
export function batchedEndToEnd(events: SegmentEvent[], mapping: JSONObject): Promise<Sample> {
  const inside: InsideCounters = { cpuUs: 0, wallMs: 0 }
  const destination = instrumentedDestination(inside)
  return measure(async () => {
    const { value: ok, requests } = await countingRequests(() => executeInBatches(destination, events, mapping))
    return { events: events.length, ok, requests, insideCpuUs: inside.cpuUs, insideWallMs: inside.wallMs }
  })
}

/** One event per request through perform: Destination.onEvent with the Purchase subscription, one after the other. */
export function performEndToEnd(events: SegmentEvent[], subscription: { subscribe: string; mapping: JSONObject }) {
  const inside: InsideCounters = { cpuUs: 0, wallMs: 0 }
  const destination = instrumentedDestination(inside)
  const subscriptionSettings = { ...settings, subscription: { ...subscription, partnerAction: 'sendEvent' } }
  return measure(async () => {
    const { value: ok, requests } = await countingRequests(async () => {
      let delivered = 0
      for (const event of events) {
        try {
          const results = await destination.onEvent(event, subscriptionSettings as unknown as JSONObject)
          if (results.some((result) => result.output === 'Action Executed')) delivered++
        } catch {
          // A refused event throws; it simply does not count as delivered.
        } finally {
          destination.responses.splice(0)
        }
      }
      return delivered
    })
    return { events: events.length, ok, requests, insideCpuUs: inside.cpuUs, insideWallMs: inside.wallMs }
  })
}

/**
 * HTTP floor for perform: one POST per event of an already built body through actions-core's request client, one
 * after the other; no mapping, validation or FQL. What any one-event-per-request destination pays at least.
 */
export function requestFloor(batches: Payload[][], count: number): Promise<Sample> {
  const options = buildOptions(Date.now())
  const bodies: { data: ServerEvent[]; partner_agent?: string }[] = []
  for (const payload of batches.flat()) {
    if (bodies.length >= count) break
    const built = buildServerEvent(payload, options)
    if (built.ok) bodies.push({ data: [built.event], partner_agent: settings.partnerAgent })
  }
  const request = createRequestClient({ headers: { Authorization: `Bearer ${settings.accessToken}` } })
  const url = eventsUrl(settings)
  return measure(async () => {
    let ok = 0
    for (const body of bodies) {
      const response = await request(url, { method: 'POST', json: body, throwHttpErrors: false })
      if (response.ok) ok++
    }
    return { events: bodies.length, ok, requests: bodies.length }
  })
}

export function newEngine(concurrency?: number): Engine {
  return new Engine({ settings, amplitudeEventMap: {} }, { concurrency })
}

/** Engine.send on one chunk of events: routing by preset FQL, executeBatch per 1,000, requests in parallel. */
export async function engineSend(engine: Engine, events: SegmentEvent[], gc = true): Promise<Sample> {
  return measure(
    async () => {
      const report = await engine.send(events, 'segment')
      const ok = report.results.filter((result) => 'status' in result && result.status === 200).length
      return { events: events.length, ok, requests: report.requests }
    },
    { gc }
  )
}
