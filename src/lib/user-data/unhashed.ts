import { isIP } from 'node:net'

/** A value Meta receives as given: a trimmed string (case kept: fbc is case-sensitive) or, where allowed, a number. */
export type PassedThrough = { value: string | number } | { omitted: true } | { dropped: string }

interface PassThroughOptions {
  /** fb_login_id and lead_id are integers in Meta's API, so a number stays a number. */
  keepNumbers?: boolean
}

export function passThrough(raw: unknown, options: PassThroughOptions = {}): PassedThrough {
  if (raw === undefined || raw === null) return { omitted: true }
  if (typeof raw === 'string') {
    const text = raw.trim()
    return text === '' ? { omitted: true } : { value: text }
  }
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { dropped: 'not a finite number' }
    return { value: options.keepNumbers ? raw : String(raw) }
  }
  return { dropped: 'not a string or number' }
}

/** client_ip_address: Meta accepts only a valid IPv4 or IPv6 address; anything else (even an email) is left out. */
export function ipAddress(raw: unknown): PassedThrough {
  const result = passThrough(raw)
  if (!('value' in result)) return result
  return isIP(String(result.value)) ? result : { dropped: 'not an IP address' }
}
