import type { Command } from 'commander'
import { pageUrl, startLocalSandbox } from '../embedded-sandbox'
import { parsePort } from '../options'
import { note, printLine } from '../output'
import { closeOnSignal } from '../signals'

export async function runSandbox(options: { port: number }): Promise<void> {
  const sandbox = await startLocalSandbox(options.port)
  printLine(sandbox.url)
  note(`Meta Graph API sandbox listening; test-events page: ${pageUrl(sandbox)}`)
  note(`Point a sender at it with META_GRAPH_URL=${sandbox.url}. Ctrl-C to stop.`)
  await closeOnSignal(() => sandbox.close())
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .summary('run the Meta Graph API sandbox alone')
    .description(
      "Runs the embedded lookalike of Meta's Conversions API on 127.0.0.1: it validates events as Meta does, shows " +
        'them on a test-events page, and takes faults at POST /__sandbox/faults. Prints its URL; stops on Ctrl-C.'
    )
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', parsePort, 8788)
    .action((options: { port: number }) => runSandbox(options))
}
