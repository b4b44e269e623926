import type { Command } from 'commander'
import { loadDryRunConfig } from '../../runner/config'
import { ingest } from '../../runner/ingest'
import { readConfig } from '../config'
import { createEngine } from '../engine'
import { parseInputs, readInputText, withParseErrors } from '../input'
import { addConfigOption, addSourceOption } from '../options'
import type { InputOptions } from '../options'
import { printLines } from '../output'
import { mapLine } from '../results'

export async function runMap(file: string | undefined, options: InputOptions): Promise<void> {
  const config = readConfig(
    () => loadDryRunConfig({ file: options.config, env: process.env }, 'map'),
    (loaded) => [loaded]
  )
  const engine = createEngine(config)
  const parsed = parseInputs(await readInputText(file))
  const { results } = await withParseErrors(parsed, async (values) => {
    const { inputs, sources } = ingest(values, options.source, { receivedAt: Date.now() })
    return { results: await engine.map(inputs, sources) }
  })
  printLines(results.map(mapLine))
  if (results.some((result) => 'error' in result)) process.exitCode = 1
}

export function registerMap(program: Command): void {
  const command = program
    .command('map')
    .summary('show the Conversions API event each input becomes (dry run, no network)')
    .description(
      'Dry run: routes each Segment-spec or Amplitude event through the presets and prints one JSON line per input, ' +
        'in order: {"index":n,"event":{…}} (with "diagnostics":[…] when something was left out), ' +
        '{"index":n,"status":4xx,"error":"…"} or {"index":n,"skipped":"…"}. ' +
        'Input is JSON Lines or a JSON array, from FILE or stdin. Exits 1 when any input would be rejected.'
    )
    .argument('[file]', 'JSON Lines or JSON array of events (default: stdin)')
  addSourceOption(addConfigOption(command)).action((file: string | undefined, options: InputOptions) =>
    runMap(file, options)
  )
}
