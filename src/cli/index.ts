#!/usr/bin/env node
import { Command, CommanderError } from 'commander'
import { PACKAGE_VERSION } from '../version'
import { registerCheck } from './commands/check'
import { registerConformance } from './commands/conformance'
import { registerDemo } from './commands/demo'
import { registerMap } from './commands/map'
import { registerSandbox } from './commands/sandbox'
import { registerSend } from './commands/send'
import { registerServe } from './commands/serve'
import { CliError, messageOf, redact } from './errors'

export function createProgram(): Command {
  const program = new Command('meta-pixel')
    .description("Send Segment-spec and Amplitude events to a Meta Pixel through Meta's Conversions API.")
    .version(PACKAGE_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
  registerDemo(program)
  registerMap(program)
  registerSend(program)
  registerServe(program)
  registerSandbox(program)
  registerCheck(program)
  registerConformance(program)
  return program
}

function fail(message: string, exitCode: number): void {
  process.stderr.write(`meta-pixel: ${redact(message)}\n`)
  process.exitCode = exitCode
}

async function main(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv)
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message; help and --version are not errors.
      process.exitCode = error.exitCode === 0 ? 0 : 2
    } else if (error instanceof CliError) {
      fail(error.message, error.exitCode)
    } else {
      fail(`unexpected error: ${messageOf(error)}`, 1)
      if (process.env.META_PIXEL_DEBUG && error instanceof Error) process.stderr.write(`${redact(error.stack ?? '')}\n`)
    }
  }
}

void main(process.argv)
