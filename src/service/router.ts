import { SEGMENT_SINGLE_TYPES, type SegmentSingleType } from './segment'
import { withoutTrailingSlashes } from '../lib/trim-slashes'

export type Endpoint =
  | { kind: 'segment-batch' }
  | { kind: 'segment-single'; type: SegmentSingleType }
  | { kind: 'amplitude-upload' }
  | { kind: 'amplitude-webhook' }
  | { kind: 'health' }
  | { kind: 'metrics' }

export type RouteMatch =
  { ok: true; endpoint: Endpoint } | { ok: false; status: 404 } | { ok: false; status: 405; allow: string }

const ROUTES = new Map<string, { method: 'GET' | 'POST'; endpoint: Endpoint }>([
  // Segment HTTP Tracking API; RudderStack's SDKs post to the same paths on their data-plane URL.
  ['/v1/batch', { method: 'POST', endpoint: { kind: 'segment-batch' } }],
  ...SEGMENT_SINGLE_TYPES.map(
    (type) => [`/v1/${type}`, { method: 'POST', endpoint: { kind: 'segment-single', type } }] as const
  ),
  // Amplitude HTTP V2 API and its batch twin, which take the same body.
  ['/2/httpapi', { method: 'POST', endpoint: { kind: 'amplitude-upload' } }],
  ['/batch', { method: 'POST', endpoint: { kind: 'amplitude-upload' } }],
  ['/webhooks/amplitude', { method: 'POST', endpoint: { kind: 'amplitude-webhook' } }],
  ['/health', { method: 'GET', endpoint: { kind: 'health' } }],
  // Prometheus text format.
  ['/metrics', { method: 'GET', endpoint: { kind: 'metrics' } }]
])

/** The endpoint for a method and path (a trailing slash is ignored), or 404 / 405 with the allowed method. */
export function route(method: string | undefined, pathname: string): RouteMatch {
  const path = pathname.length > 1 ? withoutTrailingSlashes(pathname) : pathname
  const entry = ROUTES.get(path)
  if (!entry) return { ok: false, status: 404 }
  if (method === entry.method || (method === 'HEAD' && entry.method === 'GET')) {
    return { ok: true, endpoint: entry.endpoint }
  }
  return { ok: false, status: 405, allow: entry.method === 'GET' ? 'GET, HEAD' : 'POST' }
}
