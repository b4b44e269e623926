import { JsonText } from '../json-text'
import type { ServerEvent } from './types'

/**
 * A server event written as JSON once, as soon as it is built, with the name and id its result reports. A run that
 * holds a thousand events until their request is full holds a thousand strings instead of a thousand object trees,
 * which the garbage collector would copy on every young-generation collection they live through and then promote.
 */
export class EncodedEvent extends JsonText {
  readonly event_name: string
  readonly event_id: string | undefined

  constructor(event: ServerEvent) {
    super(JSON.stringify(event))
    this.event_name = event.event_name
    this.event_id = event.event_id
  }

  override toJSON(): ServerEvent {
    return JSON.parse(this.json) as ServerEvent
  }
}

/** A server event as a request body holds it: its objects, or its text. */
export type SendableEvent = ServerEvent | EncodedEvent

/** The server event's objects, read back from its text if it was encoded. */
export function serverEventOf(event: SendableEvent): ServerEvent {
  return event instanceof EncodedEvent ? event.toJSON() : event
}
