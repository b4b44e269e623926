import { createRequestClient } from '@segment/actions-core'
import type { Command } from 'commander'
import definition from '../../destinations/meta-pixel'
import type { Settings } from '../../destinations/meta-pixel'
import { probePixel, type PixelProbe } from '../../destinations/meta-pixel/authentication'
import { graphBaseUrl } from '../../destinations/meta-pixel/graph'
import { loadRunnerConfig } from '../../runner/config'
import type { Sandbox } from '../../sandbox'
import { readConfig } from '../config'
import { startEmbeddedSandbox } from '../embedded-sandbox'
import { CliError, UsageError } from '../errors'
import { addConfigOption, addSandboxOption } from '../options'
import { note, printLine } from '../output'

export interface CheckOptions {
  config?: string
  sandbox?: boolean
}

type Failure = Extract<PixelProbe, { ok: false }>

function metaIds(failure: Failure): string {
  const { code, subcode, fbtraceId } = failure.error
  const parts = [
    code !== undefined && `code ${code}`,
    subcode !== undefined && `subcode ${subcode}`,
    fbtraceId !== undefined && `fbtrace_id ${fbtraceId}`
  ].filter(Boolean)
  return parts.length > 0 ? ` (Meta ${parts.join(', ')})` : ''
}

/**
 * What is wrong, in plain words, one sentence per kind of failure. When Meta cannot be reached nothing was checked,
 * and the message says so instead of blaming the credentials.
 */
export function verdict(failure: Failure, pixelId: string, graphUrl?: string): string {
  const ids = metaIds(failure)
  if (failure.networkCause !== undefined) {
    return (
      `Meta is unreachable at ${graphBaseUrl(graphUrl)} (${failure.networkCause}): the pixel and token were not checked. ` +
      'Check the network (proxy, firewall, DNS) and try again.'
    )
  }
  switch (failure.error.kind) {
    case 'authentication':
      return (
        `The access token is invalid or expired${ids}: generate a new one in Events Manager (your pixel → ` +
        'Settings → Conversions API → Generate access token) and set it as "accessToken" or META_ACCESS_TOKEN.'
      )
    case 'permission':
      return (
        `The access token is valid but has no permission to send events for pixel ${pixelId}${ids}: use a token ` +
        'generated for this pixel, or give its system user access to the pixel in Business Settings.'
      )
    case 'configuration':
      return (
        `Pixel ${pixelId} does not exist, or this token cannot see it${ids}: check the pixel ID in Events Manager ` +
        'and that the token was generated for it.'
      )
    case 'rate_limit':
      return `Meta is rate-limiting this app${ids}: the pixel and token were not checked. Try again later.`
    case 'transient':
    case 'unknown':
      return (
        `Meta is unavailable (HTTP ${failure.httpStatus ?? '?'})${ids}: the pixel and token were not checked. ` +
        'Try again later.'
      )
    case 'data':
      return `Meta refused the check: ${failure.error.message}`
  }
}

/** The request client actions-core gives testAuthentication, with the destination's Authorization header. */
function requestClientFor(settings: Settings) {
  return createRequestClient(definition.extendRequest?.({ settings, payload: undefined } as never) ?? {})
}

export async function runCheck(options: CheckOptions): Promise<void> {
  const { config, target } = readConfig(
    () => loadRunnerConfig({ file: options.config, env: process.env, sandbox: options.sandbox }, 'check'),
    (loaded) => [loaded.config]
  )
  if (target === 'sandbox' && !options.sandbox) {
    throw new UsageError('no access token configured: set META_ACCESS_TOKEN, or "accessToken" in the --config file')
  }
  let sandbox: Sandbox | undefined
  try {
    if (target === 'sandbox') {
      sandbox = await startEmbeddedSandbox()
      note('Checking against the embedded sandbox (--sandbox), not Meta.')
    }
    const probe = await probePixel(requestClientFor(config.settings), config.settings, sandbox?.url)
    if (!probe.ok) throw new CliError(verdict(probe, config.settings.pixelId, sandbox?.url))
  } finally {
    await sandbox?.close()
  }
  printLine('ok')
}

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .summary('check that the access token may send to the pixel')
    .description(
      'Reads the configured pixel with the configured token, as a host does when settings are saved. Prints "ok" ' +
        'and exits 0, or says what is wrong (bad pixel ID, bad or expired token, no permission, Meta unreachable) ' +
        'and exits 1; invalid settings exit 2.'
    )
  addSandboxOption(addConfigOption(command)).action((options: CheckOptions) => runCheck(options))
}
