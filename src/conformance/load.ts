import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { parseFixture } from './fixture'
import type { Fixture } from './fixture'

/** A fixture file as read: its path relative to the fixture root, and the fixture or why it cannot run. */
export type LoadedFixture =
  { file: string; ok: true; fixture: Fixture } | { file: string; ok: false; name?: string; error: string }

/** Every *.json file under dir, recursively, in a stable order. */
export function findFixtureFiles(dir: string): string[] {
  const files: string[] = []
  const visit = (current: string) => {
    // Code-point order, so the table reads the same on every machine whatever its locale.
    const entries = readdirSync(current, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    )
    for (const entry of entries) {
      const path = join(current, entry.name)
      if (entry.isDirectory()) visit(path)
      else if (entry.isFile() && entry.name.endsWith('.json')) files.push(path)
    }
  }
  visit(dir)
  return files
}

export function loadFixture(path: string, root: string): LoadedFixture {
  const file = relative(root, path).split(sep).join('/')
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    return { file, ok: false, error: `cannot read the fixture: ${(error as Error).message}` }
  }
  const parsed = parseFixture(json)
  return parsed.ok ? { file, ok: true, fixture: parsed.fixture } : { file, ...parsed }
}

export function loadFixtures(root: string): LoadedFixture[] {
  return findFixtureFiles(root).map((path) => loadFixture(path, root))
}
