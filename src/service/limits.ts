/**
 * Per-event limits applied at ingestion, before anything walks an event recursively (the derived messageId's
 * canonical JSON, the adapters, actions-core's mapping): an event over them is refused on its own with a 400 and a
 * reason, and the other events of its request go on. Generous for real events: Segment's own API caps a message
 * at 32 KB and Amplitude's at 1 MB per upload; nothing real nests 64 levels deep.
 */
export interface EventLimits {
  /** Nesting of objects and arrays, the event itself being level 1. Default 64. */
  maxDepth: number
  /** The event's size as JSON, in bytes. Default 512 KiB. */
  maxBytes: number
}

export const DEFAULT_EVENT_LIMITS: EventLimits = { maxDepth: 64, maxBytes: 512 * 1024 }

export type LimitReason = 'too_deep' | 'too_large'

export interface LimitProblem {
  reason: LimitReason
  message: string
}

/** The deepest nesting in `value`, stopping as soon as it passes `limit`; iterative, so depth cannot overflow it. */
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }]
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!
    if (typeof current !== 'object' || current === null) continue
    if (depth > limit) return true
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 })
    }
  }
  return false
}

/** Why this event is refused at ingestion, or undefined when it is within the limits. The message quotes nothing. */
export function eventLimitProblem(
  event: unknown,
  limits: EventLimits = DEFAULT_EVENT_LIMITS
): LimitProblem | undefined {
  if (depthExceeds(event, limits.maxDepth)) {
    return { reason: 'too_deep', message: `the event is nested more than ${limits.maxDepth} levels deep` }
  }
  // Only now is a recursive walk safe: JSON.stringify recurses as deep as the event.
  const bytes = Buffer.byteLength(JSON.stringify(event) ?? '', 'utf8')
  if (bytes > limits.maxBytes) {
    return { reason: 'too_large', message: `the event is ${bytes} bytes as JSON, over the limit of ${limits.maxBytes}` }
  }
  return undefined
}

/** A request's events split into those admitted and those refused at ingestion, by their index in the request. */
export interface Admission {
  events: unknown[]
  refused: Map<number, LimitProblem>
}

export function admit(events: unknown[], limits: EventLimits = DEFAULT_EVENT_LIMITS): Admission {
  const refused = new Map<number, LimitProblem>()
  events.forEach((event, index) => {
    const problem = eventLimitProblem(event, limits)
    if (problem) refused.set(index, problem)
  })
  return { events, refused }
}
