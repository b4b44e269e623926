import { FaultQueue } from './faults'
import { MAX_OUTCOMES, type RunnerOutcome } from './outcomes'
import type { ReceivedEvent, RejectedRequest } from './types'

/** Everything the sandbox remembers between requests; reset() returns it to a fresh start. */
export class SandboxState {
  received: ReceivedEvent[] = []
  rejected: RejectedRequest[] = []
  outcomes: RunnerOutcome[] = []
  requests = 0
  /** Bumped on every change the page shows, so its poll can answer "unchanged" cheaply. */
  version = 0
  readonly faults = new FaultQueue()

  reset(): void {
    this.received = []
    this.rejected = []
    this.outcomes = []
    this.requests = 0
    this.version++
    this.faults.clear()
  }

  recordOutcomes(outcomes: readonly RunnerOutcome[]): void {
    this.outcomes.push(...outcomes)
    if (this.outcomes.length > MAX_OUTCOMES) this.outcomes.splice(0, this.outcomes.length - MAX_OUTCOMES)
    this.version++
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
