/**
 * The conformance suite, shipped with the package: every JSON fixture under conformance/fixtures/ runs through the
 * destination and prints one table row per fixture and a closing `N passed, N failed` line; the exit code is 1 when a
 * fixture fails or none is found. `npm run conformance [DIR]` runs the shipped fixtures (or DIR's instead) from the
 * reference settings; `meta-pixel conformance [DIR...]` adds a user's own folders and configuration.
 */
import { join, resolve } from 'node:path'
import type { BaseConfig } from './run'
import { exitCodeOf, formatReport, runSuite, type FixtureRoot } from './suite'

export { parseFixture } from './fixture'
export type { Fixture } from './fixture'
export { loadFixtures } from './load'
export { runFixture, DEFAULT_SETTINGS, type BaseConfig } from './run'
export { exitCodeOf, formatReport, runSuite, type FixtureRoot } from './suite'

/** From dist/conformance (or src/conformance), the package root's conformance/fixtures: shipped as data. */
export const SHIPPED_FIXTURE_DIR = join(__dirname, '..', '..', 'conformance', 'fixtures')

/** Runs the fixtures of roots and prints the table; the exit code for the caller. */
export async function runAndReport(
  roots: FixtureRoot[],
  print: (line: string) => void,
  base?: BaseConfig
): Promise<number> {
  let rows
  try {
    rows = await runSuite(roots, base)
  } catch (error) {
    print(
      `Cannot run the conformance fixtures in ${roots.map((root) => root.dir).join(', ')}: ${(error as Error).message}`
    )
    print('0 passed, 0 failed')
    return 1
  }
  if (rows.length === 0) print(`No fixtures (*.json) found under ${roots.map((root) => root.dir).join(', ')}`)
  for (const line of formatReport(rows)) print(line)
  return exitCodeOf(rows)
}

export async function main(args: string[], print: (line: string) => void = console.log): Promise<number> {
  const dir = args[0] ? resolve(args[0]) : SHIPPED_FIXTURE_DIR
  return runAndReport([{ dir }], print)
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      console.error(error)
      process.exitCode = 1
    }
  )
}
