/**
 * The engine's first phase, as data: every input routed, mapped, validated and built once. An input either has its
 * final result already (refused, skipped, invalid) or waits, built, for the second phase to deliver it.
 */
import type { SegmentEvent } from '@segment/actions-core'
import type { EventOutcome } from '../destinations/meta-pixel/sendEvent/send'
import type { Payload } from '../destinations/meta-pixel/sendEvent/payload'
import { groupBy } from '../lib/group-by'
import type { HostedAction } from './action'
import type { RunnerConfig } from './config'
import { failure, resultOf } from './event-result'
import type { EventResult } from './event-result'
import { adaptInput } from './input'
import type { InputSource, ReadAs } from './input'
import { EventRouter } from './routing'
import type { Route } from './routing'

/** An event built for delivery: its route's batching, the payload's request-level keys and the server event. */
export interface PendingDelivery {
  route: Route
  payload: Payload
  built: Extract<EventOutcome, { kind: 'ready' }>
}

export interface PreparedInput {
  /** The input as given, for the engine's onOutcome once it is delivered. */
  input: unknown
  /** What `map` answers for the input: its final result, or (status 200) the event built for delivery. */
  result: EventResult
  /** The preset or subscription the input was routed to; absent when it was refused or skipped before routing. */
  route?: string
  /** Present when the event waits to be delivered. */
  pending?: PendingDelivery
}

/**
 * One entry per input, in input order. An input's position is its index, so the prepared inputs of several calls
 * concatenate into one delivery (the ingest service merges concurrent requests so) and results split back by position.
 */
export type PreparedInputs = PreparedInput[]

/** One source for every input, or (from the ingest front, which detected each once) one per input. */
export type Sources = InputSource | readonly ReadAs[]

/** A prepared input but for the input itself, which prepare() adds. */
type Prepared = Omit<PreparedInput, 'input'>
type Settle = (index: number, entry: Prepared) => void

interface RoutedEvent {
  index: number
  event: SegmentEvent
  route: Route
}

/** Routes inputs to their mappings and has the hosted action map, validate and build each one, once. */
export class Preparer {
  private readonly router: EventRouter
  private readonly amplitudeEventMap: Record<string, string>

  constructor(
    config: RunnerConfig,
    private readonly action: HostedAction
  ) {
    this.router = new EventRouter(config, config.amplitudeEventMap)
    this.amplitudeEventMap = EventRouter.amplitudeEventMap(config, config.amplitudeEventMap)
  }

  prepare(inputs: unknown[], source: Sources): PreparedInputs {
    const { results, routed } = this.route(inputs, source)
    const prepared: PreparedInputs = results.map((result, index) => ({ input: inputs[index], result }))
    const settle: Settle = (index, entry) => (prepared[index] = { input: inputs[index], ...entry })
    for (const [route, items] of groupBy(routed, (item) => item.route)) this.prepareRoute(route, items, settle)
    return prepared
  }

  /** One route's events mapped and built; an event the action refuses or cannot build gets its result here. */
  private prepareRoute(route: Route, items: RoutedEvent[], settle: Settle): void {
    const answers = this.action.prepare(
      route.mapping,
      items.map((item) => item.event)
    )
    const accepted: { index: number; payload: Payload }[] = []
    answers.forEach((answer, position) => {
      const { index } = items[position]
      if (answer.ok) accepted.push({ index, payload: answer.payload })
      else settle(index, { result: { index, status: 400, error: answer.error, retryable: false }, route: route.name })
    })
    const outcomes = this.buildOrFail(accepted.map((item) => item.payload))
    accepted.forEach(({ index, payload }, position) => {
      settle(
        index,
        outcomes instanceof Error
          ? { result: failure(index, outcomes), route: route.name }
          : builtInput(index, route, payload, outcomes[position])
      )
    })
  }

  // Building answers for every event and never throws; should it, each event says so (retryable, as a send would).
  private buildOrFail(payloads: Payload[]): EventOutcome[] | Error {
    try {
      return this.action.build(payloads)
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    }
  }

  private route(inputs: unknown[], source: Sources): { results: EventResult[]; routed: RoutedEvent[] } {
    const results: EventResult[] = new Array(inputs.length)
    const routed: RoutedEvent[] = []
    inputs.forEach((input, index) => {
      const from = typeof source === 'string' ? source : source[index]
      const adapted = adaptOrRefuse(input, from, this.amplitudeEventMap)
      if (!adapted.ok) {
        results[index] = { index, status: adapted.status, error: adapted.error, retryable: false }
        return
      }
      const decision = this.router.route(adapted.event, adapted.source, adapted.sourceName)
      if ('skipped' in decision) results[index] = { index, skipped: decision.skipped }
      else routed.push({ index, event: decision.event, route: decision.route })
    })
    return { results, routed }
  }
}

/** A built event waits for delivery; one the build refused has its final result. */
function builtInput(index: number, route: Route, payload: Payload, outcome: EventOutcome): Prepared {
  const result = resultOf(index, outcome)
  if (outcome.kind !== 'ready') return { result, route: route.name }
  return { result, route: route.name, pending: { route, payload, built: outcome } }
}

/** adaptInput, with an input that makes it throw (e.g. nesting deep enough to overflow it) refused on its own. */
function adaptOrRefuse(...args: Parameters<typeof adaptInput>): ReturnType<typeof adaptInput> {
  try {
    return adaptInput(...args)
  } catch (error) {
    return { ok: false, status: 400, error: `this event cannot be read: ${(error as Error).message}` }
  }
}
