import type { RunnerConfig } from '../runner/config'
import type { Registry } from 'prom-client'
import type { EngineOptions } from '../runner/engine'
import type { EventLimits } from './limits'
import type { TrustProxy } from './request-ip'

export interface ServiceOptions {
  /** Default '127.0.0.1'. */
  host?: string
  /** Default 0 (ephemeral). */
  port?: number
  /** Segment write key / Amplitude API key / webhook key → destination configuration (one pixel each). */
  sources: Record<string, RunnerConfig>
  /** Batch events from concurrent requests this long; default 25. */
  lingerMs?: number
  /** Default 5 MiB; larger bodies get 413 (at once when the declared Content-Length is larger). */
  maxBodyBytes?: number
  /** Per-event limits at ingestion; default depth 64, 512 KiB. */
  eventLimits?: Partial<EventLimits>
  /**
   * Time from a request's arrival to its answer (default 8 s, below the SDKs' 10 s client timeouts): what is not
   * delivered by then is answered retryable.
   */
  requestBudgetMs?: number
  /** Headers must arrive within this (default 10 s); node's headersTimeout. */
  headersTimeoutMs?: number
  /** The whole request, headers and body, within this (default 30 s); node's requestTimeout. */
  requestTimeoutMs?: number
  /** A body with no byte for this long is answered 408 (default 5 s). */
  bodyIdleTimeoutMs?: number
  /** Which proxies may set X-Forwarded-For; by default none, and the socket's peer is the client. */
  trustProxy?: TrustProxy
  /**
   * The service retries briefly itself (default { retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 500 },
   * requestTimeoutMs: 3000 }, which fits in the budget) and then asks the SDK to retry.
   */
  engine?: EngineOptions
  /** One line per request, and one JSON line per event refused for good; never tokens, keys or event content. */
  log?: (line: string) => void
  /** Answer GET /metrics with these instead of this service's own (a cluster worker asks its primary). */
  metricsText?: () => Promise<string>
}

export interface IngestService {
  url: string
  /** This service's Prometheus registry (for a cluster worker to hand to prom-client's aggregator). */
  metrics: Registry
  /** Stops accepting, flushes lingering batches and waits for their answers (graceful shutdown). */
  close(): Promise<void>
}

/** What an endpoint answers, plus what the request's log line says about it. */
export interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
  /** Fingerprint of the source key (never the key itself). */
  keyId?: string
  /** Event counts or a short fixed reason; never event content. */
  note?: string
  /** Close the connection after answering (the body was not, or not wholly, read). */
  closeConnection?: boolean
  /** Already written (e.g. /metrics as text). */
  text?: { contentType: string; body: string }
}
