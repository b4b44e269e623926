import { basename, resolve } from 'node:path'
import type { Command } from 'commander'
import {
  DEFAULT_SETTINGS,
  runAndReport,
  SHIPPED_FIXTURE_DIR,
  type BaseConfig,
  type FixtureRoot
} from '../../conformance'
import { loadDryRunConfig } from '../../runner/config'
import { readConfig } from '../config'
import { UsageError } from '../errors'
import { addConfigOption } from '../options'
import { printLine } from '../output'

interface ConformanceOptions {
  config?: string
  shipped: boolean
}

/** The user's configuration laid over the reference settings, so a config without a pixel or token still runs. */
function baseOf(configFile: string): BaseConfig {
  const config = readConfig(
    () => loadDryRunConfig({ file: configFile, env: process.env }, 'conformance'),
    (loaded) => [loaded]
  )
  return {
    settings: { ...DEFAULT_SETTINGS, ...config.settings },
    mapping: config.mapping,
    amplitudeEventMap: config.amplitudeEventMap
  }
}

export async function runConformance(dirs: string[], options: ConformanceOptions): Promise<void> {
  const roots: FixtureRoot[] = [
    ...(options.shipped ? [{ dir: SHIPPED_FIXTURE_DIR }] : []),
    ...dirs.map((dir) => ({ dir: resolve(dir), label: basename(resolve(dir)) }))
  ]
  if (roots.length === 0) throw new UsageError('no fixtures to run: name a folder, or leave out --no-shipped')
  const base = options.config ? baseOf(options.config) : undefined
  process.exitCode = await runAndReport(roots, printLine, base)
}

export function registerConformance(program: Command): void {
  const command = program
    .command('conformance')
    .summary('run the conformance fixtures (shipped, and your own) against this destination')
    .description(
      'Runs every JSON fixture shipped with the package (conformance/fixtures/), then those under each DIR, through ' +
        'this destination against a built-in fake of the Graph API (nothing reaches Meta), and prints one row per ' +
        'fixture and "N passed, N failed". With --config the fixtures start from your settings, mapping and ' +
        'Amplitude event map instead of the reference settings they were written for, so a shipped fixture that ' +
        'fails shows where your configuration changes what is sent. Exits 1 when a fixture fails or none is found.'
    )
    .argument('[dir...]', 'folders of your own fixtures (same format as conformance/fixtures/)')
    .option('--no-shipped', 'run only the fixtures of the given folders')
  addConfigOption(command).action((dirs: string[], options: ConformanceOptions) => runConformance(dirs, options))
}
