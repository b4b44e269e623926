/**
 * The engine's first phase, as data: every input routed, mapped, validated and built once. An input either has its
 * final result already (refused, skipped, invalid) or waits, built, for the second phase to deliver it.
 */
import type { EventOutcome, RequestKeys } from '../destinations/meta-pixel/sendEvent/send'
import type { Payload } from '../destinations/meta-pixel/sendEvent/payload'
import { EncodedEvent } from '../lib/capi-event'
import type { SendableEvent } from '../lib/capi-event'
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
  requestKeys: RequestKeys
  built: Extract<EventOutcome<SendableEvent>, { kind: 'ready' }>
}

export interface PreparedInput {
  /** The input as given, for the engine's onOutcome once it is delivered; kept only when the engine has one. */
  input?: unknown
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

export interface PreparerOptions {
  /** Keep each input with its preparation (for onOutcome); otherwise it is let go as soon as it is built. */
  keepInputs: boolean
  /** Hold each built event as its JSON text (EncodedEvent), for runs that send and report events by name. */
  encodeEvents: boolean
}

/**
 * Routes each input to its mapping and has the hosted action map, validate and build it, once. Each input goes all
 * the way before the next starts, so what it leaves behind is its built event alone: the parsed input and the
 * mapped payload die young, which keeps the garbage collector's work small in a long run.
 */
export class Preparer {
  private readonly router: EventRouter
  private readonly amplitudeEventMap: Record<string, string>

  constructor(
    config: RunnerConfig,
    private readonly action: HostedAction,
    private readonly options: PreparerOptions
  ) {
    this.router = new EventRouter(config, config.amplitudeEventMap)
    this.amplitudeEventMap = EventRouter.amplitudeEventMap(config, config.amplitudeEventMap)
  }

  prepare(inputs: unknown[], source: Sources): PreparedInputs {
    return inputs.map((input, index) => {
      const prepared = this.prepareOne(input, typeof source === 'string' ? source : source[index], index)
      return this.options.keepInputs ? { input, ...prepared } : prepared
    })
  }

  private prepareOne(input: unknown, source: InputSource, index: number): PreparedInput {
    const adapted = adaptOrRefuse(input, source, this.amplitudeEventMap)
    if (!adapted.ok) return { result: { index, status: adapted.status, error: adapted.error, retryable: false } }
    const decision = this.router.route(adapted.event, adapted.source, adapted.sourceName)
    if ('skipped' in decision) return { result: { index, skipped: decision.skipped } }
    const { route, event } = decision
    const [answer] = this.action.prepare(route.mapping, [event])
    if (!answer.ok) return { result: { index, status: 400, error: answer.error, retryable: false }, route: route.name }
    const outcome = this.buildOrFail(answer.payload)
    if (outcome instanceof Error) return { result: failure(index, outcome), route: route.name }
    const built = this.options.encodeEvents && outcome.kind === 'ready' ? encoded(outcome) : outcome
    return builtInput(index, route, answer.payload, built)
  }

  // Building answers for every event and never throws; should it, the event says so (retryable, as a send would).
  private buildOrFail(payload: Payload): EventOutcome | Error {
    try {
      return this.action.build([payload])[0]
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    }
  }
}

function encoded(outcome: Extract<EventOutcome, { kind: 'ready' }>): EventOutcome<EncodedEvent> {
  return { ...outcome, event: new EncodedEvent(outcome.event) }
}

/** A built event waits for delivery; one the build refused has its final result. */
function builtInput(
  index: number,
  route: Route,
  payload: Payload,
  outcome: EventOutcome<SendableEvent>
): PreparedInput {
  const result = resultOf(index, outcome)
  if (outcome.kind !== 'ready') return { result, route: route.name }
  const requestKeys = { batch_size: payload.batch_size, test_event_code: payload.test_event_code }
  return { result, route: route.name, pending: { route, requestKeys, built: outcome } }
}

/** adaptInput, with an input that makes it throw (e.g. nesting deep enough to overflow it) refused on its own. */
function adaptOrRefuse(...args: Parameters<typeof adaptInput>): ReturnType<typeof adaptInput> {
  try {
    return adaptInput(...args)
  } catch (error) {
    return { ok: false, status: 400, error: `this event cannot be read: ${(error as Error).message}` }
  }
}
