import { formatNumber as fmt, mebibytes, table } from './measure'
import type { EndToEndResult, RunFigures } from './end-to-end'

const perSecond = (run: RunFigures) => run.delivered / (run.wallMs / 1000)
const cpuPerEvent = (run: RunFigures) => run.cpuUs / Math.max(1, run.events)
const requestsPerEvent = (run: RunFigures) => run.requests / Math.max(1, run.events)

function figuresTable(runs: RunFigures[]): string {
  return table(
    ['run', 'events', 'delivered', 'wall s', 'events/s', 'CPU µs/event', 'peak RSS', 'requests', 'requests/event'],
    runs.map((run) => [
      run.label,
      fmt(run.events),
      fmt(run.delivered),
      fmt(run.wallMs / 1000, 1),
      fmt(perSecond(run)),
      fmt(cpuPerEvent(run), 1),
      mebibytes(run.maxRssBytes),
      fmt(run.requests),
      requestsPerEvent(run).toFixed(4)
    ])
  )
}

/** Peak RSS of the largest run over the 1,000,000-event run (the target), else over the smallest. */
function rssGrowth(ours: RunFigures[]): string | undefined {
  const largest = ours[ours.length - 1]
  const base = ours.find((run) => run.events === 1_000_000 && run !== largest) ?? ours[0]
  if (!largest || base === largest) return undefined
  return (
    `  peak RSS, ${fmt(largest.events)} ÷ ${fmt(base.events)} events: ${mebibytes(largest.maxRssBytes)} ÷ ` +
    `${mebibytes(base.maxRssBytes)} = ${fmt(largest.maxRssBytes / base.maxRssBytes, 2)} ×  ` +
    '(targets: ≤ 512 MiB at 1,000,000; ≤ 1.2 × that at 10,000,000)'
  )
}

/**
 * The end-to-end table, Segment's refusals, and the summary the targets are stated in, every figure from this run:
 * events/s ratio (whole process, start-up included), CPU µs per event of both, requests per event, peak RSS, and our
 * CPU per event over the work floor measured in the same process.
 */
export function printEndToEnd(result: EndToEndResult, workFloorUs: number, log: (line?: string) => void): void {
  const { segment, ours } = result
  log()
  log('End to end, whole process (start-up included), one child process per run, against the sandbox child')
  log(figuresTable([...(segment ? [segment] : []), ...ours]))
  if (segment && segment.errors.length > 0) {
    log()
    log(`Segment's refused events by error message (digits, hex and email addresses masked)`)
    for (const [message, count] of segment.errors) log(`  ${fmt(count)} × ${message}`)
  }
  log()
  log(
    `Summary (work floor: buildServerEvent + JSON.stringify per event on pre-mapped payloads, ` +
      `${fmt(workFloorUs, 1)} CPU µs/event in this process)`
  )
  log(
    table(
      ['meta-pixel send', 'events/s ÷ Segment', 'CPU µs/event', '÷ work floor', 'requests/event', 'peak RSS'],
      ours.map((run) => [
        `${fmt(run.events)} events`,
        segment ? `${fmt(perSecond(run) / perSecond(segment), 1)} ×` : 'n/a',
        fmt(cpuPerEvent(run), 1),
        `${fmt(cpuPerEvent(run) / workFloorUs, 2)} ×`,
        requestsPerEvent(run).toFixed(4),
        mebibytes(run.maxRssBytes)
      ])
    )
  )
  if (segment) {
    log(
      `  Segment (${fmt(segment.events)} events, ${fmt(segment.delivered)} delivered): ${fmt(perSecond(segment))} ` +
        `events/s, ${fmt(cpuPerEvent(segment), 1)} CPU µs/event, ${requestsPerEvent(segment).toFixed(4)} ` +
        `requests/event, peak RSS ${mebibytes(segment.maxRssBytes)}`
    )
  }
  const growth = rssGrowth(ours)
  if (growth) log(growth)
  log('  targets: events/s ≥ 10 × Segment; CPU ≤ 2 × the work floor; requests/event ≤ 0.001')
}
