import type { Command } from 'commander'
import { loadDryRunConfig } from '../../runner/config'
import { addWorkersOption, runBulk } from '../bulk'
import { readConfig } from '../config'
import { addConfigOption, addSourceOption } from '../options'
import type { InputOptions } from '../options'
import { LineWriter } from '../output'
import { mapLine } from '../results'

export interface MapOptions extends InputOptions {
  workers: number
}

export async function runMap(file: string | undefined, options: MapOptions): Promise<void> {
  const config = readConfig(
    () => loadDryRunConfig({ file: options.config, env: process.env }, 'map'),
    (loaded) => [loaded]
  )
  const stdout = new LineWriter(process.stdout)
  let failed = false
  await runBulk(file, config, 'map', options, {
    onResults: (results) => {
      failed ||= results.some((result) => 'error' in result)
      return stdout.write(results.map(mapLine))
    }
  })
  if (failed) process.exitCode = 1
}

export function registerMap(program: Command): void {
  const command = program
    .command('map')
    .summary('show the Conversions API event each input becomes (dry run, no network)')
    .description(
      'Dry run: routes each Segment-spec or Amplitude event through the presets and prints one JSON line per input, ' +
        'in order: {"index":n,"event":{…}} (with "diagnostics":[…] when something was left out), ' +
        '{"index":n,"status":4xx,"error":"…"} or {"index":n,"skipped":"…"}. ' +
        'Input is JSON Lines or a JSON array, from FILE or stdin, read as it is consumed. Exits 1 when any input ' +
        'would be rejected.'
    )
    .argument('[file]', 'JSON Lines or JSON array of events (default: stdin)')
  addWorkersOption(addSourceOption(addConfigOption(command))).action((file: string | undefined, options: MapOptions) =>
    runMap(file, options)
  )
}
