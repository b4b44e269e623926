import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'

/**
 * The client's IP: the first X-Forwarded-For entry when a load balancer put one there, else the socket's peer.
 * IPv4-mapped IPv6 (::ffff:1.2.3.4) is written as plain IPv4, as Meta expects.
 */
export function requestIp(req: IncomingMessage): string | undefined {
  const forwarded = req.headers['x-forwarded-for']
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim()
  const candidate = first || req.socket.remoteAddress
  if (!candidate) return undefined
  const plain = candidate.startsWith('::ffff:') && isIP(candidate.slice(7)) === 4 ? candidate.slice(7) : candidate
  return isIP(plain) ? plain : undefined
}
