import type { BodyBuffers } from '../../lib/body-buffers'

export interface MetaRequestRecord {
  /** Events in the request's data array. */
  events: number
  /** HTTP status, or 0 when no answer came back. */
  status: number
  durationMs: number
}

/** Told of every request to Meta, for a host's metrics and the runner's request count. */
export type MetaRequestObserver = (record: MetaRequestRecord) => void

/**
 * Where one definition sends and whom it tells: given when the definition is created, so two definitions with
 * different targets live side by side in one process.
 */
export interface GraphOptions {
  /** Base URL of the Graph API; default META_GRAPH_URL, else https://graph.facebook.com. */
  graphUrl?: string
  /** Called after every request to Meta; nothing the destination does depends on it. */
  onRequest?: MetaRequestObserver
  /** Buffers to encode request bodies in, reused from request to request (the runner's); without, a fresh string each. */
  bodyBuffers?: BodyBuffers
}
