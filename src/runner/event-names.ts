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

/** True when a parsed FQL reads nothing of an event but its type and its name (the presets' subscriptions). */
export function readsTypeAndNameOnly(node: unknown): boolean {
  if (typeof node !== 'object' || node === null) return false
  const { type, children, error } = node as Record<string, unknown>
  if (error) return false
  if (type === 'event-type' || type === 'event') return true
  return type === 'group' && Array.isArray(children) && children.every(readsTypeAndNameOnly)
}

/** Names remembered per matcher; past this many, further names are asked afresh, so memory stays bounded. */
const REMEMBERED_NAMES = 10_000

/**
 * A matcher for FQL that reads only an event's type and name, answering from memory for a type and name it has seen:
 * a route is asked of every event that reaches it, and a run holds few names. Events whose type or name is not a
 * string are asked afresh.
 */
export function rememberingByName(matches: (event: SegmentEvent) => boolean): (event: SegmentEvent) => boolean {
  const answers = new Map<string, Map<string | undefined, boolean>>()
  let remembered = 0
  return (event) => {
    const { type, event: name } = event as { type: unknown; event: unknown }
    if (typeof type !== 'string' || (name !== undefined && typeof name !== 'string')) return matches(event)
    let byName = answers.get(type)
    const known = byName?.get(name)
    if (known !== undefined) return known
    const answer = matches(event)
    if (remembered < REMEMBERED_NAMES) {
      if (!byName) answers.set(type, (byName = new Map()))
      byName.set(name, answer)
      remembered++
    }
    return answer
  }
}
