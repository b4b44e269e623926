import { startRecordingGraph, type RecordingGraph } from './graph'
import { loadFixtures, type LoadedFixture } from './load'
import { runFixture, REFERENCE_CONFIG, type BaseConfig } from './run'

/** A folder of fixtures; its rows are labelled `<label>/<file>` when a label is given. */
export interface FixtureRoot {
  dir: string
  label?: string
}

export interface SuiteRow {
  /** Path relative to the fixture root, with / separators. */
  file: string
  name: string
  passed: boolean
  /** Why it failed, in one line; empty when it passed. */
  reason: string
}

/** The sandbox, recording, for the duration of fn; each fixture's engine is pointed at it. */
async function withRecordingGraph<T>(fn: (graph: RecordingGraph) => Promise<T>): Promise<T> {
  const graph = await startRecordingGraph()
  try {
    return await fn(graph)
  } finally {
    await graph.close()
  }
}

function loadAll(roots: string | FixtureRoot[]): LoadedFixture[] {
  const list = typeof roots === 'string' ? [{ dir: roots }] : roots
  return list.flatMap(({ dir, label }) =>
    loadFixtures(dir).map((entry) => (label ? { ...entry, file: `${label}/${entry.file}` } : entry))
  )
}

/**
 * Loads every fixture under the roots and runs them one by one, from the reference settings or from `base` (a
 * user's configuration); a fixture that cannot be read is a failure.
 */
export async function runSuite(
  roots: string | FixtureRoot[],
  base: BaseConfig = REFERENCE_CONFIG
): Promise<SuiteRow[]> {
  const loaded = loadAll(roots)
  if (loaded.length === 0) return []
  return withRecordingGraph(async (graph) => {
    const rows: SuiteRow[] = []
    for (const entry of loaded) {
      if (!entry.ok) {
        rows.push({
          file: entry.file,
          name: entry.name ?? '',
          passed: false,
          reason: `invalid fixture: ${entry.error}`
        })
        continue
      }
      const outcome = await runFixture(entry.fixture, graph, base)
      rows.push({
        file: entry.file,
        name: entry.fixture.name,
        passed: outcome.passed,
        reason: outcome.passed ? '' : outcome.reason
      })
    }
    return rows
  })
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - text.length))
}

/** The table, one row per fixture, and the closing `N passed, N failed` line. */
export function formatReport(rows: SuiteRow[]): string[] {
  const labels = rows.map((row) => `${row.file} › ${row.name}`)
  const width = Math.min(100, Math.max(7, ...labels.map((label) => label.length)))
  const lines = [`${pad('RESULT', 6)}  ${pad('FIXTURE', width)}  REASON`]
  rows.forEach((row, index) => {
    const result = row.passed ? 'pass' : 'FAIL'
    lines.push(`${pad(result, 6)}  ${pad(labels[index], width)}  ${oneLine(row.reason)}`.trimEnd())
  })
  const passedCount = rows.filter((row) => row.passed).length
  lines.push(`${passedCount} passed, ${rows.length - passedCount} failed`)
  return lines
}

/** 1 when any fixture failed or none was found, else 0. */
export function exitCodeOf(rows: SuiteRow[]): number {
  return rows.length === 0 || rows.some((row) => !row.passed) ? 1 : 0
}
