import { redactSecrets } from '../lib/redact'

/** A failure the user can act on: printed as one line on stderr, never with a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1
  ) {
    super(message)
    this.name = 'CliError'
  }
}

/** Bad flags, unreadable input or configuration: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2)
    this.name = 'UsageError'
  }
}

/** Secrets (the access token) that must never reach stdout, stderr or a report. */
const secrets = new Set<string>()

export function registerSecret(secret: string | undefined): void {
  if (secret) secrets.add(secret)
}

export function redact(text: string): string {
  return secrets.size === 0 ? text : redactSecrets(text, [...secrets])
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
