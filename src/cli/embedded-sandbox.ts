import { handleMappingRoute } from '../pages/mapping-route'
import { startSandbox } from '../sandbox'
import type { Sandbox } from '../sandbox'
import { CliError, messageOf } from './errors'

export async function startLocalSandbox(port = 0): Promise<Sandbox> {
  try {
    return await startSandbox({ port, extraPages: handleMappingRoute })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} on 127.0.0.1 is already in use`)
    throw new CliError(`cannot start the sandbox: ${messageOf(error)}`)
  }
}

/**
 * Starts the sandbox on 127.0.0.1 for runs the configuration sends to the sandbox (runner/config decides); the caller
 * passes its URL to the engines that deliver there (nothing else in the process changes): nothing leaves the machine.
 */
export async function startEmbeddedSandbox(port = 0): Promise<Sandbox> {
  return startLocalSandbox(port)
}

export function pageUrl(sandbox: Sandbox): string {
  return `${sandbox.url}/`
}

/** The mapping preview page, served by the sandbox and by the ingest service alike. */
export function mappingUrl(baseUrl: string): string {
  return `${baseUrl}/mapping`
}
