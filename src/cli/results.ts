import type { StreamResult } from '../runner/chunk'

export interface Summary {
  events: number
  delivered: number
  failed: number
  skipped: number
  requests: number
}

/** The summary's counters, kept as results settle: nothing else of a result outlives its output line. */
export class Tally {
  private readonly counts = { events: 0, delivered: 0, failed: 0, skipped: 0 }

  add(results: StreamResult[]): void {
    for (const result of results) {
      this.counts.events++
      if ('skipped' in result) this.counts.skipped++
      else if (result.status === 200) this.counts.delivered++
      else this.counts.failed++
    }
  }

  get failed(): number {
    return this.counts.failed
  }

  summary(requests: number): Summary {
    return { ...this.counts, requests }
  }
}

/** map's line for one input: the server event, the error, or why it was skipped. */
export function mapLine(result: StreamResult): string {
  if ('skipped' in result) return JSON.stringify({ index: result.index, skipped: result.skipped })
  if ('event' in result) return JSON.stringify({ index: result.index, event: result.event, ...diagnosticsOf(result) })
  if ('named' in result) return JSON.stringify({ index: result.index, ...result.named, ...diagnosticsOf(result) })
  return JSON.stringify({ index: result.index, status: result.status, error: result.error })
}

/** The result's diagnostics as a line's `diagnostics` key, only when something was left out. */
function diagnosticsOf(result: StreamResult): { diagnostics?: unknown } {
  return 'diagnostics' in result && result.diagnostics?.length ? { diagnostics: result.diagnostics } : {}
}

/** send's --report line for one input; delivered events are named by event_name and event_id. */
export function reportLine(result: StreamResult): string {
  if ('skipped' in result) return JSON.stringify({ index: result.index, skipped: result.skipped })
  if ('event' in result || 'named' in result) {
    const { event_name, event_id } = 'event' in result ? result.event : result.named
    return JSON.stringify({ index: result.index, status: 200, event_name, event_id, ...diagnosticsOf(result) })
  }
  return JSON.stringify({ index: result.index, status: result.status, error: result.error, ...diagnosticsOf(result) })
}
