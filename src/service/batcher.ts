import type { EventResult } from '../runner/engine'

export const FLUSH_AT_EVENTS = 1000

type SendBatch<T> = (items: T[]) => Promise<EventResult[]>

interface Waiting<T> {
  events: T[]
  resolve: (results: EventResult[]) => void
}

const NO_RESULT = 'the engine returned no result for this event'

function reindexed(result: EventResult | undefined, index: number): EventResult {
  return result ? { ...result, index } : { index, status: 500, error: NO_RESULT, retryable: true }
}

/**
 * Gathers the events of concurrent requests for one source into one engine call (the service's are prepared events,
 * so the call delivers what each request mapped and built once). A batch goes out `lingerMs` after
 * its first event, or at once when it holds `flushAt` events (or the service is closing). Each request gets back the
 * results of its own events, in order.
 */
export class LingerBatcher<T = unknown> {
  private open: Waiting<T>[] = []
  private openEvents = 0
  private timer: NodeJS.Timeout | undefined
  private closing = false
  private readonly inFlight = new Set<Promise<void>>()

  constructor(
    private readonly send: SendBatch<T>,
    private readonly lingerMs: number,
    private readonly flushAt = FLUSH_AT_EVENTS
  ) {}

  /** The results of these events, once each of them is delivered, skipped, or failed for good or for now. */
  submit(events: T[]): Promise<EventResult[]> {
    if (events.length === 0) return Promise.resolve([])
    return new Promise((resolve) => {
      this.open.push({ events, resolve })
      this.openEvents += events.length
      if (this.closing || this.openEvents >= this.flushAt || this.lingerMs <= 0) this.ready()
      else this.timer ??= setTimeout(() => this.ready(), this.lingerMs)
    })
  }

  /** From now on every batch is ready at once; resolves when everything submitted so far has its answer. */
  async drain(): Promise<void> {
    this.closing = true
    this.ready()
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
  }

  private ready(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.open.length === 0) return
    const batch = this.open
    this.open = []
    this.openEvents = 0
    const task = this.deliver(batch).finally(() => this.inFlight.delete(task))
    this.inFlight.add(task)
  }

  private async deliver(batch: Waiting<T>[]): Promise<void> {
    const events = batch.flatMap((waiting) => waiting.events)
    let results: EventResult[]
    try {
      results = await this.send(events)
    } catch (error) {
      // Engine.send does not throw by design; should it, every event is answered as retryable so nothing is lost.
      const message = `the service failed: ${(error as Error).message}`
      results = events.map((_event, index) => ({ index, status: 500, error: message, retryable: true }))
    }
    let offset = 0
    for (const waiting of batch) {
      const start = offset
      waiting.resolve(waiting.events.map((_event, index) => reindexed(results[start + index], index)))
      offset += waiting.events.length
    }
  }
}
