/**
 * The conformance suite: `npm run conformance` runs every JSON fixture under test/conformance/ through the
 * destination and prints one table row per fixture and a closing `N passed, N failed` line. It exits with 1 when
 * a fixture fails or none is found. An optional argument names another fixture directory.
 */
import { join, resolve } from 'node:path'
import { exitCodeOf, formatReport, runSuite } from './suite'

export { parseFixture } from './fixture'
export type { Fixture } from './fixture'
export { loadFixtures } from './load'
export { runFixture } from './run'
export { exitCodeOf, formatReport, runSuite } from './suite'

/** From dist/conformance (or src/conformance), the package root's test/conformance. */
export const DEFAULT_FIXTURE_DIR = join(__dirname, '..', '..', 'test', 'conformance')

export async function main(args: string[], print: (line: string) => void = console.log): Promise<number> {
  const root = args[0] ? resolve(args[0]) : DEFAULT_FIXTURE_DIR
  let rows
  try {
    rows = await runSuite(root)
  } catch (error) {
    print(`Cannot run the conformance fixtures in ${root}: ${(error as Error).message}`)
    print('0 passed, 0 failed')
    return 1
  }
  if (rows.length === 0) print(`No fixtures (*.json) found under ${root}`)
  for (const line of formatReport(rows)) print(line)
  return exitCodeOf(rows)
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
