import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import proxyAddr from 'proxy-addr'

/** Which hops may set X-Forwarded-For: a function of the hop's address and its distance from this server. */
export type TrustProxy = (address: string, hop: number) => boolean

/**
 * `--trust-proxy`'s value, as Express and proxy-addr read it: a number trusts that many hops in front of the
 * service; otherwise a comma-separated list of addresses, CIDR ranges or proxy-addr's names (`loopback`,
 * `linklocal`, `uniquelocal`). Throws with the reason for anything else.
 */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim()
  if (/^\d+$/.test(text)) {
    const hops = Number(text)
    return (_address, hop) => hop < hops
  }
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  if (entries.length === 0) throw new Error('--trust-proxy needs a hop count or addresses / CIDR ranges')
  try {
    return proxyAddr.compile(entries)
  } catch (error) {
    throw new Error(`--trust-proxy: ${(error as Error).message}`)
  }
}

/**
 * The client's IP. Only with `trust` is X-Forwarded-For read, walking back from the socket's peer through the
 * trusted hops; by default the socket's peer is the client, so no caller can choose the address sent to Meta.
 * IPv4-mapped IPv6 (::ffff:1.2.3.4) is written as plain IPv4, as Meta expects.
 */
export function requestIp(req: IncomingMessage, trust?: TrustProxy): string | undefined {
  const candidate = trust ? proxyAddr(req, trust) : req.socket.remoteAddress
  if (!candidate) return undefined
  const plain = candidate.startsWith('::ffff:') && isIP(candidate.slice(7)) === 4 ? candidate.slice(7) : candidate
  return isIP(plain) ? plain : undefined
}
