import { InvalidArgumentError, Option } from 'commander'
import type { Command } from 'commander'
import type { InputSource } from '../runner/input'

export function integerIn(min: number, max: number) {
  return (value: string): number => {
    const number = Number(value)
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`)
    }
    return number
  }
}

export const parsePort = integerIn(0, 65535)

export function addConfigOption(command: Command): Command {
  return command.option(
    '--config <file>',
    'JSON file of destination settings (pixelId, accessToken, defaultActionSource…, mapping, amplitudeEventMap)'
  )
}

export function addSourceOption(command: Command): Command {
  return command.addOption(
    new Option('--source <source>', 'what the input events are')
      .choices(['auto', 'segment', 'amplitude'])
      .default('auto')
  )
}

/** --sandbox: the one way to deliver to the embedded sandbox when a Meta target is configured. */
export function addSandboxOption(command: Command): Command {
  return command.option(
    '--sandbox',
    'deliver to the embedded sandbox on 127.0.0.1 instead of Meta, whatever is configured'
  )
}

export interface InputOptions {
  config?: string
  source: InputSource
}
