import { eventNameKey } from '../event-name'
import { isRecord, nonBlankString } from './values'

/** Amplitude event names that mean a Meta standard event (reference §14.3); the user's event map wins over these. */
export const DEFAULT_AMPLITUDE_EVENT_MAP: Readonly<Record<string, string>> = Object.freeze({
  revenue_amount: 'Purchase',
  Purchase: 'Purchase',
  'Order Completed': 'Purchase',
  'Product Viewed': 'ViewContent',
  'Product Added': 'AddToCart',
  'Add to Cart': 'AddToCart',
  'Checkout Started': 'InitiateCheckout',
  Search: 'Search',
  'Products Searched': 'Search',
  'Sign Up': 'CompleteRegistration',
  'Signed Up': 'CompleteRegistration'
})

const PAGE_VIEWED = '[Amplitude] Page Viewed'

export function isPageViewed(eventType: string): boolean {
  return eventNameKey(eventType) === eventNameKey(PAGE_VIEWED)
}

/** The Meta event name for an Amplitude event_type: the user's map first, then the defaults; undefined if unmapped. */
export function mappedEventName(eventType: string, userMap: unknown): string | undefined {
  return lookUp(userMap, eventType) ?? lookUp(DEFAULT_AMPLITUDE_EVENT_MAP, eventType)
}

function lookUp(map: unknown, eventType: string): string | undefined {
  if (!isRecord(map)) return undefined
  const key = eventNameKey(eventType)
  const entry = Object.entries(map).find(([name, target]) => eventNameKey(name) === key && nonBlankString(target))
  return entry && nonBlankString(entry[1])
}

/**
 * Parse the destination setting text form of the event map: lines or commas of `Amplitude event = MetaEvent` (also
 * `:` or `=>`), or a JSON object (needed for names that contain a comma). Blank → {}. Throws on a malformed entry.
 */
export function parseEventMap(source: string | undefined): Record<string, string> {
  const trimmed = source?.trim() ?? ''
  if (trimmed === '') return {}
  return trimmed.startsWith('{') ? parseJsonEventMap(trimmed) : parseTextEventMap(trimmed)
}

function parseJsonEventMap(source: string): Record<string, string> {
  let parsed: unknown
  try {
    parsed = JSON.parse(source)
  } catch (error) {
    throw new Error(`Event map is not valid JSON: ${(error as Error).message}`)
  }
  if (!isRecord(parsed)) throw new Error('Event map JSON must be an object of "Amplitude event": "MetaEvent" pairs')
  return Object.fromEntries(Object.entries(parsed).map(parseJsonEntry))
}

function parseJsonEntry([name, target]: [string, unknown]): [string, string] {
  const amplitudeName = nonBlankString(name)
  const metaName = nonBlankString(target)
  if (!amplitudeName || !metaName) {
    throw new Error(`Event map entry "${name}" must map a non-empty name to a non-empty event name`)
  }
  return [amplitudeName, metaName]
}

function parseTextEventMap(source: string): Record<string, string> {
  const entries = source
    .split(/[\r\n,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  return Object.fromEntries(entries.map(parseTextEntry))
}

/** `=>` before `=` before `:`, so "Checkout: Step 1 = InitiateCheckout" splits at the `=`. */
const SEPARATORS = ['=>', '=', ':']

function parseTextEntry(entry: string): [string, string] {
  const separator = SEPARATORS.find((candidate) => entry.includes(candidate))
  const [name, target] = separator ? splitOnce(entry, separator).map(unquoted) : []
  if (!name || !target) throw new Error(`Event map entry "${entry}" must look like "Amplitude event = MetaEvent"`)
  return [name, target]
}

function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator)
  return [value.slice(0, at), value.slice(at + separator.length)]
}

function unquoted(value: string): string {
  const trimmed = value.trim()
  const quoted = /^(["'])(.*)\1$/.exec(trimmed)
  return (quoted ? quoted[2] : trimmed).trim()
}
