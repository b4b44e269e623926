import { isRecord } from '../lib/is-record'
import type { EngineOptions, EventResult } from '../runner/engine'
import type { RunnerOutcome, Sandbox } from '../sandbox'
import { readAs } from '../runner/input'

/**
 * Tells the embedded sandbox how the runner settled each event, so its Test Events page shows the events that never
 * reached it (refused, skipped, failed) with their reasons, and what the destination left out of delivered ones.
 * Only names, IDs and reasons are reported, never the input's customer information.
 */

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function inputSummary(input: unknown): Pick<RunnerOutcome, 'source' | 'inputName' | 'inputId'> {
  if (!isRecord(input)) return {}
  if (readAs(input, 'auto') === 'amplitude') {
    return {
      source: 'amplitude',
      inputName: text(input.event_type),
      inputId: text(input.insert_id) ?? text(input.$insert_id) ?? text(input.uuid)
    }
  }
  const name = input.type === 'track' ? text(input.event) : text(input.type)
  return { source: 'segment', inputName: name, inputId: text(input.messageId) }
}

type Diagnostics = RunnerOutcome['diagnostics']

export function outcomeOf(result: EventResult, input: unknown, now: number): RunnerOutcome {
  const diagnostics = (result as { diagnostics?: Diagnostics }).diagnostics
  const base = { receivedAt: now, ...inputSummary(input), ...(diagnostics?.length && { diagnostics }) }
  if ('skipped' in result) return { ...base, status: 'skipped', reason: result.skipped }
  if ('event' in result) {
    const { event_name, event_id } = result.event
    return { ...base, status: 'delivered', eventName: text(event_name), eventId: text(event_id) }
  }
  return {
    ...base,
    status: result.retryable ? 'failed' : 'refused',
    httpStatus: result.status,
    reason: result.error,
    retryable: result.retryable
  }
}

/** The engine option that reports every settled event to the sandbox. */
export function reportOutcomesTo(sandbox: Sandbox, now: () => number = Date.now): EngineOptions {
  return { onOutcome: (result, input) => sandbox.recordOutcomes(outcomeOf(result, input, now())) }
}

/**
 * The same report from a process that does not hold the sandbox (a worker of `serve`): outcomes are posted to the
 * sandbox's /__sandbox/outcomes, a batch per tick. A report that fails is dropped: the page is a view, not a record.
 */
export function reportOutcomesOverHttp(sandboxUrl: string, now: () => number = Date.now): EngineOptions {
  let pending: RunnerOutcome[] = []
  const flush = () => {
    const outcomes = pending
    pending = []
    fetch(`${sandboxUrl}/__sandbox/outcomes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(outcomes)
    }).then(
      (response) => response.body?.cancel(),
      () => undefined
    )
  }
  return {
    onOutcome: (result, input) => {
      if (pending.length === 0) setImmediate(flush)
      pending.push(outcomeOf(result, input, now()))
    }
  }
}
