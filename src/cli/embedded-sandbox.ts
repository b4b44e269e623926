import { startSandbox } from '../sandbox'
import type { Sandbox } from '../sandbox'
import type { RunnerConfig } from '../runner/config'
import { CliError, messageOf } from './errors'

/** The token the embedded sandbox accepts; it opens nothing but that sandbox, so it is no secret. */
export const SANDBOX_ACCESS_TOKEN = 'sandbox-access-token'
export const SANDBOX_PIXEL_ID = '100000000000001'

export async function startLocalSandbox(port = 0): Promise<Sandbox> {
  try {
    return await startSandbox({ port })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} on 127.0.0.1 is already in use`)
    throw new CliError(`cannot start the sandbox: ${messageOf(error)}`)
  }
}

/** The configuration with the sandbox's token, and its pixel when none is configured. */
export function sandboxConfig(config: RunnerConfig): RunnerConfig {
  const settings = {
    ...config.settings,
    pixelId: config.settings.pixelId || SANDBOX_PIXEL_ID,
    accessToken: SANDBOX_ACCESS_TOKEN
  }
  return { ...config, settings }
}

export function pageUrl(sandbox: Sandbox): string {
  return `${sandbox.url}/`
}
