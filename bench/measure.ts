/** Wall time and CPU time (user + system, whole measured process) of one piece of work. */
export interface Sample {
  events: number
  wallMs: number
  cpuUs: number
  /** HTTP requests the destination reported (the definition's request observer), when the work sends anything. */
  requests?: number
  /** Events that came back with a 2xx answer. */
  ok?: number
  /** CPU µs spent inside performBatch/perform (our own code + the HTTP client), when measured. */
  insideCpuUs?: number
  insideWallMs?: number
}

export function cpuMicros(): number {
  const { user, system } = process.cpuUsage()
  return user + system
}

/** Runs the work, by default on a collected heap so garbage from the previous run is not charged to this one. */
export async function measure(
  work: () => Promise<Omit<Sample, 'wallMs' | 'cpuUs'>>,
  { gc = true }: { gc?: boolean } = {}
): Promise<Sample> {
  if (gc) collectGarbage()
  const cpuStart = cpuMicros()
  const wallStart = performance.now()
  const partial = await work()
  return { ...partial, wallMs: performance.now() - wallStart, cpuUs: cpuMicros() - cpuStart }
}

export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc) gc()
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export const eventsPerSecond = (sample: Sample): number => sample.events / (sample.wallMs / 1000)
export const cpuPerEvent = (sample: Sample): number => sample.cpuUs / sample.events
export const requestsPerEvent = (sample: Sample): number => (sample.requests ?? NaN) / sample.events
export const insideCpuPerEvent = (sample: Sample): number => (sample.insideCpuUs ?? NaN) / sample.events
export const insideWallPerEvent = (sample: Sample): number => ((sample.insideWallMs ?? NaN) * 1000) / sample.events

/** Samples RSS every intervalMs (when the event loop lets it) and keeps the peak. */
export class RssSampler {
  peak = process.memoryUsage.rss()
  private timer: NodeJS.Timeout | undefined

  start(intervalMs = 50): this {
    this.timer = setInterval(() => this.sample(), intervalMs)
    return this
  }

  sample(): number {
    const rss = process.memoryUsage.rss()
    if (rss > this.peak) this.peak = rss
    return rss
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer)
    this.sample()
    return this.peak
  }
}

export const mebibytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`

export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a'
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** Plain-text table with right-aligned columns after the first. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)))
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n')
}
