import { canonicalJson } from './amplitude/canonical-json'
import { sha256 } from './user-data/sha256'

/**
 * A deterministic id for content that came without one: `prefix` + the first 32 hex of SHA-256 of its canonical
 * JSON (keys sorted), so a resend of the same content gets the same id and Meta deduplicates it by event_id.
 */
export function contentId(prefix: string, content: unknown): string {
  return `${prefix}${sha256(canonicalJson(content)).slice(0, 32)}`
}
