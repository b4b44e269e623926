/** The runner's answer for one input, and how the destination's typed outcomes become one. */
import type { EventOutcome } from '../destinations/meta-pixel/sendEvent/send'
import type { Diagnostic, SendableEvent } from '../lib/capi-event'

/**
 * diagnostics: what was left out of the event and why, present only when something was. The event is text
 * (EncodedEvent) only from an engine told to encode its events; otherwise it is the server event's objects.
 */
export type EventResult =
  | { index: number; status: 200; event: SendableEvent; diagnostics?: Diagnostic[] }
  | { index: number; status: number; error: string; retryable: boolean; diagnostics?: Diagnostic[] }
  | { index: number; skipped: string }

function withDiagnostics(diagnostics: Diagnostic[]): { diagnostics?: Diagnostic[] } {
  return diagnostics.length > 0 ? { diagnostics } : {}
}

export function failure(index: number, error: Error): EventResult {
  return { index, status: 500, error: `the destination failed: ${error.message}`, retryable: true }
}

/** What the destination's send path said of one event, as the runner reports it. */
export function resultOf(index: number, outcome: EventOutcome<SendableEvent>): EventResult {
  switch (outcome.kind) {
    case 'delivered':
    case 'ready':
      return { index, status: 200, event: outcome.event, ...withDiagnostics(outcome.diagnostics) }
    case 'invalid':
      return { index, status: 400, error: outcome.message, retryable: false }
    case 'failed': {
      const { status, message, retryable } = outcome.error
      return { index, status, error: message, retryable, ...withDiagnostics(outcome.diagnostics) }
    }
  }
}
