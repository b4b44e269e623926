import { readFile } from 'node:fs/promises'
import type { EventResult } from '../runner/engine'
import { messageOf, UsageError } from './errors'

/** One input event as read: a parsed JSON value, or the reason its line is not JSON. */
export type ParsedInput = { ok: true; value: unknown } | { ok: false; error: string }

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('no input: give a FILE, or pipe JSON Lines or a JSON array on stdin')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** The text of FILE, or of stdin when FILE is absent or `-`. */
export async function readInputText(file: string | undefined): Promise<string> {
  if (file === undefined || file === '-') return readStdin()
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : messageOf(error)
    throw new UsageError(`cannot read ${file}: ${reason}`)
  }
}

function parseLines(text: string): ParsedInput[] {
  const parsed: ParsedInput[] = []
  text.split(/\r?\n/).forEach((line, lineIndex) => {
    if (line.trim() === '') return
    try {
      parsed.push({ ok: true, value: JSON.parse(line) })
    } catch {
      parsed.push({ ok: false, error: `line ${lineIndex + 1} is not valid JSON` })
    }
  })
  return parsed
}

/**
 * JSON Lines (one event per line, blank lines skipped) or a JSON array of events, detected from the text. A line that
 * is not JSON becomes an error for that input only. A single JSON object, even spread over lines, is one event.
 */
export function parseInputs(text: string): ParsedInput[] {
  const trimmed = text.trim()
  if (trimmed === '') return []
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && trimmed.includes('\n'))) {
    let whole: unknown
    try {
      whole = JSON.parse(trimmed)
    } catch {
      whole = undefined
    }
    if (Array.isArray(whole)) return whole.map((value) => ({ ok: true, value }))
    if (whole !== undefined) return [{ ok: true, value: whole }]
    // A JSON array that does not parse is one broken document, not lines to salvage.
    if (trimmed.startsWith('[') && !isJson(trimmed.split('\n')[0])) {
      throw new UsageError('the input starts like a JSON array but is not valid JSON')
    }
  }
  return parseLines(text)
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/**
 * Runs the parsed inputs through `run` (which answers one result per value, indexed from 0) and returns one result
 * per input in order, unparsable inputs answered with a 400 of their own.
 */
export async function withParseErrors<T extends { results: EventResult[] }>(
  parsed: ParsedInput[],
  run: (values: unknown[]) => Promise<T>
): Promise<T & { results: EventResult[] }> {
  const positions: number[] = []
  const values: unknown[] = []
  parsed.forEach((input, index) => {
    if (!input.ok) return
    positions.push(index)
    values.push(input.value)
  })
  const outcome = await run(values)
  const results: EventResult[] = parsed.map((input, index) =>
    input.ok ? (undefined as unknown as EventResult) : { index, status: 400, error: input.error, retryable: false }
  )
  outcome.results.forEach((result, position) => {
    const index = positions[position]
    results[index] = { ...result, index }
  })
  return { ...outcome, results }
}
