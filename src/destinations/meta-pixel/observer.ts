import { EventEmitter } from 'node:events'

export interface MetaRequestRecord {
  /** Events in the request's data array. */
  events: number
  /** HTTP status, or 0 when no answer came back. */
  status: number
  durationMs: number
}

/**
 * Every request to Meta is reported here, for a host's metrics and the runner's request count.
 * Nothing the destination does depends on anyone listening.
 */
export const metaRequests = new EventEmitter<{ request: [MetaRequestRecord] }>()
