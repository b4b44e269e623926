import { eventRules, firstBrokenRule } from '../contract/event-rules'
import type { ServerEvent } from './types'

/**
 * The rules of lib/contract/event-rules that only the built event can show. The others are enforced while
 * building, with messages about the input (event_time, event name, contents, app_data), and the property test
 * in test/lib/contract proves the built events pass every rule. Listed in the order a user fixes them.
 */
const RULES_AFTER_BUILD = eventRules([
  'website-client-user-agent',
  'website-event-source-url',
  'purchase-value',
  'purchase-currency',
  'sufficient-customer-information'
])

/** The first of Meta's request rules this event breaks, so it fails alone instead of sinking its request. */
export function firstRuleViolation(event: ServerEvent): string | undefined {
  // None of these rules reads the clock (the event_time window is enforced while building).
  const failure = firstBrokenRule(event as unknown as Record<string, unknown>, 0, RULES_AFTER_BUILD)
  return failure?.message
}
