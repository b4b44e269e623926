/**
 * fast-check parameters for every property test: a bounded number of runs, and one seed per test file, printed
 * before it runs, so that any failure (or a run killed by jest) replays exactly: `FUZZ_SEED=<seed> npx jest <file>`.
 * `FUZZ_SCALE=20` multiplies the runs to hunt longer than the suite does.
 */
import type { Parameters } from 'fast-check'

function seedFromEnvironment(): number {
  const given = process.env.FUZZ_SEED
  if (given !== undefined && /^-?\d+$/.test(given.trim())) return Number(given) | 0
  return (Date.now() ^ (Math.random() * 0x100000000)) | 0
}

export const FUZZ_SEED = seedFromEnvironment()

const testFile = (expect.getState().testPath ?? '').replace(`${process.cwd()}/`, '')
process.stderr.write(
  `fast-check seed ${FUZZ_SEED} for ${testFile} (replay: FUZZ_SEED=${FUZZ_SEED} npx jest ${testFile})\n`
)

/** numRuns scaled by FUZZ_SCALE (default 1). */
export function runs(numRuns: number): number {
  const scale = Number(process.env.FUZZ_SCALE ?? 1)
  return Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1)))
}

/**
 * A run that takes this long is a finding (fast-check reports it with its input, seed and path), not a suite
 * timeout: normal runs take milliseconds, so this only catches hangs and super-linear inputs, never a busy machine.
 */
const SLOW_RUN_MS = 10_000

export function fuzzParameters<T>(numRuns: number): Parameters<T> {
  return { numRuns: runs(numRuns), seed: FUZZ_SEED, timeout: SLOW_RUN_MS }
}
