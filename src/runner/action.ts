/**
 * The sendEvent action as the runner hosts it. Each event is mapped, cleaned of empty values and validated against
 * the action's fields as actions-core's executeBatch does it, then the valid payloads go through the destination's
 * one send path, whose typed outcomes the runner reads directly (no MultiStatus to encode and decode). That path in
 * two halves: `build` stops before the request (what `map` shows), `deliver` sends what `build` built.
 * test/runner/action.test.ts holds every result and request body to Destination.executeBatch's.
 */
import { createRequestClient, Destination, fieldsToJsonSchema } from '@segment/actions-core'
import type { DestinationDefinition, JSONObject, RequestClient, SegmentEvent } from '@segment/actions-core'
import { BodyBuffers } from '../lib/body-buffers'
import destination from '../destinations/meta-pixel'
import type { GraphOptions, Settings } from '../destinations/meta-pixel'
import type { Payload } from '../destinations/meta-pixel/sendEvent/payload'
import { buildEvents, deliverBuilt } from '../destinations/meta-pixel/sendEvent/send'
import type { EventOutcome, RequestKeys, SentOutcome } from '../destinations/meta-pixel/sendEvent/send'
import type { SendableEvent } from '../lib/capi-event'
import { withoutEmptyValues } from './empty-values'
import type { EmptyValueSchema } from './empty-values'
import { compileMapping } from './mapping'
import type { MappingFn } from './mapping'
import type { RequestSlots } from './request-slots'

/** One event as the action receives it: its payload, or why actions-core would refuse it. */
export type Prepared = { ok: true; payload: Payload } | { ok: false; error: string }

export interface HostOptions {
  graph: GraphOptions
  /** Every request waits for one of these, so the run's concurrency is a total. */
  slots: RequestSlots
  /** Timeout of each request to Meta; default actions-core's (10 s). */
  requestTimeoutMs?: number
}

const action = destination.actions.sendEvent
type Authentication = DestinationDefinition<JSONObject>['authentication']
const schema = fieldsToJsonSchema(action.fields)

/**
 * actions-core validates a payload with its `validateSchema`, which 3.153 does not export (3.170 does); a Destination's
 * validateSettings runs that same function (same options, same errors) on `fieldsToJsonSchema` of its
 * authentication fields, so a Destination whose "settings" are the action's fields validates payloads exactly.
 */
function payloadValidator(): (payload: unknown) => void {
  const validator = new Destination({
    name: `${destination.name}-payload`,
    mode: 'cloud',
    // Typed for settings' narrower field types; fieldsToJsonSchema reads any field, as it does for the action.
    authentication: { scheme: 'custom', fields: action.fields } as unknown as Authentication,
    actions: {}
  })
  return (payload) => validator.validateSettings(payload as JSONObject)
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

export class HostedAction {
  private readonly mappings = new WeakMap<JSONObject, MappingFn>()
  private readonly request: RequestClient
  private readonly validate = payloadValidator()
  /** Each request's body is encoded into a buffer reused from earlier requests (see BodyBuffers). */
  private readonly graph: GraphOptions

  /** Throws, as a host does when settings are saved, if the settings do not fit the definition. */
  constructor(
    private readonly settings: Settings,
    private readonly options: HostOptions
  ) {
    new Destination(destination).validateSettings(settings)
    this.graph = { ...options.graph, bodyBuffers: new BodyBuffers() }
    const base = createRequestClient({
      ...destination.extendRequest?.({ settings, payload: undefined }),
      ...(options.requestTimeoutMs !== undefined && { timeout: options.requestTimeoutMs })
    })
    this.request = ((url, requestOptions) => options.slots.run(() => base(url, requestOptions))) as RequestClient
  }

  /** Every event mapped and validated; one that cannot be is refused alone, as a host's batch would refuse it. */
  prepare(mapping: JSONObject, events: SegmentEvent[]): Prepared[] {
    const map = this.mappingFor(mapping)
    return events.map((event) => {
      let payload: unknown
      try {
        payload = withoutEmptyValues(map(event), schema as EmptyValueSchema)
      } catch (error) {
        return { ok: false, error: `the destination cannot process this event: ${messageOf(error)}` }
      }
      try {
        this.validate(payload)
      } catch (error) {
        return { ok: false, error: messageOf(error) }
      }
      return { ok: true, payload: payload as Payload }
    })
  }

  /** The server events Meta would receive, or why each cannot be sent; nothing is sent. */
  build(payloads: Payload[]): EventOutcome[] {
    return buildEvents(this.settings, payloads)
  }

  /** Delivers the events `build` built from payloads with these request keys, without building them again. */
  deliver<E extends SendableEvent>(payloads: RequestKeys[], built: EventOutcome<E>[]): Promise<SentOutcome<E>[]> {
    return deliverBuilt(this.request, this.settings, payloads, built, this.graph)
  }

  private mappingFor(mapping: JSONObject): MappingFn {
    let map = this.mappings.get(mapping)
    if (!map) this.mappings.set(mapping, (map = compileMapping(mapping)))
    return map
  }
}
