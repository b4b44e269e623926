import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

/** The user name of HTTP Basic auth: how Segment's and RudderStack's SDKs send the write key. */
export function basicAuthUser(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(headers.authorization ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const separator = decoded.indexOf(':')
  const user = separator === -1 ? decoded : decoded.slice(0, separator)
  return user || undefined
}

/** `Authorization: Bearer <key>` or `X-Api-Key: <key>`: the custom headers an Amplitude webhook can send. */
export function headerKey(headers: IncomingHttpHeaders): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')
  if (bearer) return bearer[1]
  const apiKey = headers['x-api-key']
  const value = (Array.isArray(apiKey) ? apiKey[0] : apiKey)?.trim()
  return value || undefined
}

/** A stable, non-reversible name for a key in log lines: the key itself is a credential. */
export function keyFingerprint(key: string): string {
  return `#${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 8)}`
}

/** At most the first four characters of a key, and none of a short one, for error messages. */
export function keyHint(key: string): string {
  return key.length >= 12 ? `${key.slice(0, 4)}…` : '…'
}
