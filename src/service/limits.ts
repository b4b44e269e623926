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

/** Bytes of a leaf written as JSON (a string's escapes included); JSON.stringify does not recurse into a leaf. */
function leafBytes(value: unknown): number {
  const text = JSON.stringify(value)
  return text === undefined ? 4 : Buffer.byteLength(text, 'utf8')
}

/**
 * The event's depth and JSON size measured in one iterative walk (JSON.stringify and any recursion overflow the
 * stack on deep input, however high the depth limit is set), stopping at the first limit passed. The size is the
 * compact JSON's, as the event arrived in a JSON body.
 */
export function eventLimitProblem(
  event: unknown,
  limits: EventLimits = DEFAULT_EVENT_LIMITS
): LimitProblem | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: event, depth: 1 }]
  let bytes = 0
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!
    if (typeof value !== 'object' || value === null) {
      bytes += leafBytes(value)
    } else {
      if (depth > limits.maxDepth) {
        return { reason: 'too_deep', message: `the event is nested more than ${limits.maxDepth} levels deep` }
      }
      const keys = Array.isArray(value) ? undefined : Object.keys(value)
      const children: unknown[] = Array.isArray(value) ? value : Object.values(value)
      // Brackets, commas, and for objects each key with its colon.
      bytes += 2 + Math.max(0, children.length - 1) + (keys?.reduce((sum, key) => sum + leafBytes(key) + 1, 0) ?? 0)
      for (const child of children) stack.push({ value: child, depth: depth + 1 })
    }
    if (bytes > limits.maxBytes) {
      return { reason: 'too_large', message: `the event is over the limit of ${limits.maxBytes} bytes as JSON` }
    }
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
