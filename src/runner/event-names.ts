import type { SegmentEvent } from '@segment/actions-core'
import { validate } from '@segment/destination-subscriptions'
import type { parseFql } from '@segment/destination-subscriptions'
import { eventNameKey } from '../lib/event-name'

export { eventNameKey }

type ParsedFql = ReturnType<typeof parseFql>

/** The names a subscription compares `event` with exactly (`event = "…"`), wherever they sit in its groups. */
export function subscribedEventNames(node: unknown): string[] {
  if (typeof node !== 'object' || node === null) return []
  const { type, operator, value, children } = node as Record<string, unknown>
  if (type === 'event' && operator === '=' && typeof value === 'string') return [value]
  return Array.isArray(children) ? children.flatMap(subscribedEventNames) : []
}

/**
 * A subscription's matcher that also accepts another spelling of a name it compares exactly: the event is matched as
 * if it carried the subscription's own spelling, so the rest of the FQL (type, properties…) still decides. Host
 * subscriptions stay exact and readable; this tolerance is the runner's.
 */
export function tolerantMatcher(parsed: ParsedFql): (event: SegmentEvent) => boolean {
  const spellings = new Map(subscribedEventNames(parsed).map((name) => [eventNameKey(name), name]))
  return (event) => {
    if (validate(parsed, event)) return true
    if (event.type !== 'track' || typeof event.event !== 'string') return false
    const canonical = spellings.get(eventNameKey(event.event))
    return canonical !== undefined && canonical !== event.event && validate(parsed, { ...event, event: canonical })
  }
}
