/**
 * Meta's deduplication of server events (meta-capi.md §11, capi/deduplicate-pixel-and-server-events): two events
 * for the same pixel with the same event_name and event_id, within 48 hours of the first, are one event; the later
 * ones are discarded. Test events (sent with a test_event_code) only show in the Test Events tool, so they are
 * deduplicated among events with the same code, never against live ones.
 */

export const DEDUP_WINDOW_MS = 48 * 60 * 60 * 1000

export interface DedupInput {
  pixelId: string
  testEventCode?: string
  receivedAt: number
  eventName: string
  eventId: string
}

export type DedupStatus =
  | { status: 'no_event_id' }
  | { status: 'kept' }
  /** `of` is the position, in the input, of the first event with the same key. */
  | { status: 'duplicate'; of: number }

/** Dedup status of each event, given in arrival order. Linear in the number of events. */
export function dedupStatuses(events: readonly DedupInput[]): DedupStatus[] {
  const first = new Map<string, { index: number; receivedAt: number }>()
  return events.map((event, index) => {
    if (event.eventId === '') return { status: 'no_event_id' }
    const key = JSON.stringify([event.pixelId, event.testEventCode ?? '', event.eventName, event.eventId])
    const earlier = first.get(key)
    if (earlier && event.receivedAt - earlier.receivedAt <= DEDUP_WINDOW_MS) {
      return { status: 'duplicate', of: earlier.index }
    }
    // Past the window the event counts again, and starts a window of its own.
    first.set(key, { index, receivedAt: event.receivedAt })
    return { status: 'kept' }
  })
}
