import { isRecord } from '../lib/is-record'

/**
 * A request body holding a JSON array of objects, or one object standing for a list of one; else the reason, which
 * names what the list is of ("faults", "outcomes").
 */
export function parseJsonList(body: string | undefined, what: string): unknown[] | string {
  let parsed: unknown
  try {
    parsed = JSON.parse(body ?? '')
  } catch {
    return `Body must be a JSON array of ${what}`
  }
  const list = Array.isArray(parsed) ? parsed : isRecord(parsed) ? [parsed] : undefined
  return list ?? `Body must be a JSON array of ${what}`
}
