import { Destination } from '@segment/actions-core'
import type { Command } from 'commander'
import definition from '../../destinations/meta-pixel'
import { readConfig, requirePixel } from '../config'
import { CliError, messageOf, UsageError } from '../errors'
import { addConfigOption } from '../options'
import { printLine } from '../output'

export async function runCheck(options: { config?: string }): Promise<void> {
  const config = readConfig(options.config)
  if (!config.settings.accessToken) {
    throw new UsageError('no access token configured: set META_ACCESS_TOKEN, or "accessToken" in the --config file')
  }
  requirePixel(config)
  try {
    await new Destination(definition).testAuthentication(config.settings)
  } catch (error) {
    throw new CliError(messageOf(error))
  }
  printLine('ok')
}

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .summary('check that the access token may send to the pixel')
    .description(
      'Reads the configured pixel with the configured token, as a host does when settings are saved. ' +
        'Prints "ok" and exits 0, or prints why not and exits 1.'
    )
  addConfigOption(command).action((options: { config?: string }) => runCheck(options))
}
