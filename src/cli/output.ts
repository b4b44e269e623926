import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { redact } from './errors'

/** Writes one line to stdout, with any registered secret redacted. */
export function printLine(line: string): void {
  process.stdout.write(`${redact(line)}\n`)
}

/** Human notes go to stderr, so stdout stays machine-readable. */
export function note(line: string): void {
  process.stderr.write(`${redact(line)}\n`)
}

/**
 * Lines to a stream (stdout, a report file) in blocks, redacted, waiting whenever the stream's buffer is full, so a
 * slow reader holds the run back instead of the lines piling up in memory.
 */
export class LineWriter {
  constructor(private readonly stream: Writable) {}

  async write(lines: string[]): Promise<void> {
    if (lines.length === 0) return
    if (!this.stream.write(redact(`${lines.join('\n')}\n`))) await once(this.stream, 'drain')
  }

  /** Flushes and closes a file; stdout is left open. */
  async close(): Promise<void> {
    if (this.stream === process.stdout) return
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject)
      this.stream.end(resolve)
    })
  }
}
