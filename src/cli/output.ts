import { redact } from './errors'

/** Writes one line to stdout, with any registered secret redacted. */
export function printLine(line: string): void {
  process.stdout.write(`${redact(line)}\n`)
}

/** Writes many lines to stdout at once (map's output can be large), redacted. */
export function printLines(lines: string[]): void {
  if (lines.length > 0) process.stdout.write(redact(`${lines.join('\n')}\n`))
}

/** Human notes go to stderr, so stdout stays machine-readable. */
export function note(line: string): void {
  process.stderr.write(`${redact(line)}\n`)
}
