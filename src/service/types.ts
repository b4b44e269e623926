import type { RunnerConfig } from '../runner/config'
import type { EngineOptions } from '../runner/engine'

export interface ServiceOptions {
  /** Default '127.0.0.1'. */
  host?: string
  /** Default 0 (ephemeral). */
  port?: number
  /** Segment write key / Amplitude API key / webhook key → destination configuration (one pixel each). */
  sources: Record<string, RunnerConfig>
  /** Batch events from concurrent requests this long; default 25. */
  lingerMs?: number
  /** Default 5 MiB; larger bodies get 413. */
  maxBodyBytes?: number
  /**
   * The service retries briefly itself (default { retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 1000 } })
   * and then asks the SDK to retry.
   */
  engine?: EngineOptions
  /** One line per request; never given tokens, keys or event content. */
  log?: (line: string) => void
}

export interface IngestService {
  url: string
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
}
