import { SingleBar } from 'cli-progress'

export interface Progress {
  update(settled: number, total: number): void
  stop(): void
}

const silent: Progress = { update: () => undefined, stop: () => undefined }

/** A progress bar on stderr, only for a person watching a terminal; pipes and logs get nothing. */
export function progressBar(label: string): Progress {
  if (!process.stderr.isTTY) return silent
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {value}/{total} events`,
    hideCursor: true,
    clearOnComplete: true
  })
  let started = false
  return {
    update(settled, total) {
      if (!started) {
        bar.start(total, settled)
        started = true
      } else {
        // A streamed input's total is what has been read so far: it grows until the input ends.
        bar.setTotal(total)
        bar.update(settled)
      }
    },
    stop() {
      if (started) bar.stop()
    }
  }
}
