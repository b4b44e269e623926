import { FaultQueue } from './faults'
import type { ReceivedEvent, RejectedRequest } from './types'

/** Everything the sandbox remembers between requests; reset() returns it to a fresh start. */
export class SandboxState {
  received: ReceivedEvent[] = []
  rejected: RejectedRequest[] = []
  requests = 0
  readonly faults = new FaultQueue()

  reset(): void {
    this.received = []
    this.rejected = []
    this.requests = 0
    this.faults.clear()
  }

  /** Deep copies, so callers (tests, the control endpoint) cannot alter what the sandbox recorded. */
  snapshot(): { received: ReceivedEvent[]; rejected: RejectedRequest[]; requests: number } {
    return {
      received: structuredClone(this.received),
      rejected: structuredClone(this.rejected),
      requests: this.requests
    }
  }
}
