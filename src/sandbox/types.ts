import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RunnerOutcome } from './outcomes'

/** Public types of the embedded Meta Graph API lookalike. Other modules code against these exact shapes. */

/** A page the sandbox's host adds (the CLI adds the mapping preview); answers true when it handled the request. */
export type ExtraPage = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>

export interface SandboxOptions {
  /** Pages served beside Test events, such as the runner's mapping preview; the sandbox itself knows no runner. */
  extraPages?: ExtraPage
  /** 0 = ephemeral (default 0). */
  port?: number
  /** Accepted tokens; undefined = accept any non-empty token. */
  accessTokens?: string[]
  /** Known pixels; undefined = any digits-only id. */
  pixelIds?: string[]
  /** Millisecond clock, for the event_time window and receivedAt (default Date.now). */
  now?: () => number
  /** Largest accepted request body in bytes (default 10 MB); larger bodies get HTTP 413. */
  maxBodyBytes?: number
  /**
   * Keep accepted events for received() and the page (default true). False validates and answers as usual but
   * stores nothing, so long benchmark runs keep the sandbox's memory flat; requests() still counts.
   */
  keepEvents?: boolean
  /**
   * Scripted answers, for tests that need an answer Meta gives rarely (an error envelope, an HTML page, a hold):
   * called for every Graph request (events and pixel reads) before the sandbox checks it. An answer replaces the
   * sandbox's own and is not stored; undefined lets the sandbox check and answer as Meta does. It may return a
   * promise, to hold the request until the test lets it go. Faults queued with injectFaults come first.
   */
  answer?: (request: GraphRequest) => ScriptedAnswer | undefined | Promise<ScriptedAnswer | undefined>
}

/** A Graph request as the answer hook sees it. */
export interface GraphRequest {
  method: 'GET' | 'POST'
  /** The path, e.g. /v26.0/123/events. */
  path: string
  pixelId: string
  /** The parsed parameters of a POST (JSON or form), or undefined for a GET or a body that is not JSON. */
  body?: Record<string, unknown>
  /** A POST's body as sent (UTF-8), for byte-exact assertions; undefined for a GET or a body over the limit. */
  raw?: string
}

/** What the hook answers instead of the sandbox. */
export interface ScriptedAnswer {
  status: number
  headers?: Record<string, string>
  /** An object is sent as JSON; a string is sent as it is (HTML, garbage, ""). Absent means an empty body. */
  body?: unknown
}

export interface Fault {
  kind: 'rate_limit' | 'server_error' | 'slow' | 'drop' | 'html'
  /** rate_limit: 4 | 17 | 32 | 613 | 80004 …, default 613. */
  code?: number
  /** server_error: default 500. */
  status?: number
  /** slow: default 1000. */
  delayMs?: number
  /** How many requests it applies to, default 1. */
  count?: number
}

export interface ReceivedEvent {
  pixelId: string
  testEventCode?: string
  partnerAgent?: string
  receivedAt: number
  event: Record<string, unknown>
}

export interface RejectedRequest {
  pixelId: string
  receivedAt: number
  status: number
  error: Record<string, unknown>
  eventCount: number
}

export interface Sandbox {
  /** Graph base URL, e.g. http://127.0.0.1:43567; requests go to `${url}/v26.0/${pixel}/events`. */
  url: string
  /** Accepted events, in arrival order. */
  received(): ReceivedEvent[]
  rejected(): RejectedRequest[]
  /** Count of /events POSTs seen (accepted, rejected or faulted). */
  requests(): number
  /** Queued, consumed in order by the next /events requests. */
  injectFaults(...faults: Fault[]): void
  reset(): void
  /** What a runner settled without (or besides) reaching /events: refused and skipped events, diagnostics. */
  recordOutcomes(...outcomes: RunnerOutcome[]): void
  close(): Promise<void>
}
