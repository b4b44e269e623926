import { MAX_EVENTS_PER_REQUEST } from '../lib/contract/meta-constants'
import { eventRuleError, invalidParameterError, type GraphError } from './errors'
import { validateEvent } from './validate-event'

/** Meta's per-request batch limit (meta-capi.md §0). */

/**
 * Pure: why Meta would reject this /events body, or undefined when every event is valid.
 * Batches are atomic, so the first bad event decides the answer for the whole request (meta-capi.md §0).
 */
export function findRequestError(body: Record<string, unknown>, nowMs: number, trace: string): GraphError | undefined {
  const data = body.data
  if (data === undefined || data === null) return invalidParameterError('The parameter data is required', trace)
  if (!Array.isArray(data)) return invalidParameterError('param data must be an array.', trace)
  if (data.length === 0) return invalidParameterError('param data must contain at least 1 event.', trace)
  if (data.length > MAX_EVENTS_PER_REQUEST) {
    return invalidParameterError(
      `param data must contain at most ${MAX_EVENTS_PER_REQUEST} events; this request has ${data.length}.`,
      trace
    )
  }
  for (const field of ['test_event_code', 'partner_agent'] as const) {
    if (body[field] !== undefined && typeof body[field] !== 'string') {
      return invalidParameterError(`param ${field} must be a string.`, trace)
    }
  }
  for (let index = 0; index < data.length; index++) {
    const violation = validateEvent(data[index], index, nowMs)
    if (violation) return eventRuleError(violation, trace)
  }
  return undefined
}
