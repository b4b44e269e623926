import { formatNumber as fmt, mebibytes, table } from './measure'
import type { RunFigures } from './end-to-end'

const perSecond = (run: RunFigures) => run.delivered / (run.wallMs / 1000)
const cpuPerEvent = (run: RunFigures) => run.cpuUs / Math.max(1, run.events)

/** The end-to-end table and the ratios the targets are stated in. */
export function printEndToEnd(figures: RunFigures[], workFloorUs: number | undefined, log: (line?: string) => void) {
  log()
  log('End to end, whole process (start-up included), one child process per run, against the sandbox child')
  log(
    table(
      ['run', 'events', 'delivered', 'wall s', 'events/s', 'CPU µs/event', 'peak RSS', 'requests', 'requests/event'],
      figures.map((run) => [
        run.label,
        fmt(run.events),
        fmt(run.delivered),
        fmt(run.wallMs / 1000, 1),
        fmt(perSecond(run)),
        fmt(cpuPerEvent(run), 1),
        mebibytes(run.maxRssBytes),
        fmt(run.requests),
        (run.requests / Math.max(1, run.events)).toFixed(4)
      ])
    )
  )
  const segment = figures.find((run) => run.label.startsWith('Segment'))
  const ours = figures.filter((run) => run !== segment).sort((a, b) => a.events - b.events)
  const largest = ours[ours.length - 1]
  if (!largest) return
  log()
  log('Ratios')
  if (segment) {
    log(
      `  events/s, meta-pixel send ÷ Segment:    ${fmt(perSecond(largest) / perSecond(segment), 1)} ×  (target ≥ 10 ×)`
    )
    // Events Segment refused (its own checks, or the sandbox) still cost it the work; this ratio counts them too.
    const processed = segment.events / (segment.wallMs / 1000)
    log(`  the same, by Segment's events processed/s: ${fmt(perSecond(largest) / processed, 1)} ×`)
    log(`  CPU per event, Segment ÷ meta-pixel:    ${fmt(cpuPerEvent(segment) / cpuPerEvent(largest), 1)} ×`)
  }
  if (ours.length > 1) {
    const smallest = ours[0]
    log(
      `  peak RSS, ${fmt(largest.events)} vs ${fmt(smallest.events)} events: ` +
        `${mebibytes(largest.maxRssBytes)} vs ${mebibytes(smallest.maxRssBytes)} ` +
        `(${fmt(largest.maxRssBytes / smallest.maxRssBytes, 2)} ×; target ≤ 512 MiB, flat)`
    )
  }
  if (workFloorUs !== undefined) {
    log(
      `  CPU per event vs the work floor (${fmt(workFloorUs, 1)} µs): ${fmt(cpuPerEvent(largest) / workFloorUs, 2)} × ` +
        '(whole process: reading, parsing, actions-core mapping, HTTP, start-up)'
    )
  }
}
