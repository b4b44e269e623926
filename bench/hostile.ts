/**
 * Hostile strings: one user-controlled field at a time holds a string of several MB, and the event goes through
 * Engine.map (the whole mapping and normalising path, no request). Time per MB that stays level from the smaller
 * size to the larger one is linear; a quadratic step (issue #13's email pattern) would multiply it by the size ratio.
 */
import { Engine } from '../src/runner/engine'
import { settings } from './scenarios'

type Place = { field: string; event: (text: string) => Record<string, unknown> }

const NOW = () => new Date(Date.now() - 60_000).toISOString()

function segment(change: (event: Record<string, unknown>, text: string) => void) {
  return (text: string) => {
    const event: Record<string, unknown> = {
      type: 'track',
      event: 'Order Completed',
      messageId: 'hostile-1',
      timestamp: NOW(),
      userId: 'user-1',
      context: {
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        page: { url: 'https://shop.example.com/' },
        traits: { email: 'a@example.com', address: {} }
      },
      properties: { revenue: 10, currency: 'USD', products: [{ product_id: 'p1', price: 10 }] }
    }
    change(event, text)
    return event
  }
}

const traits = (event: Record<string, unknown>) => (event.context as { traits: Record<string, unknown> }).traits
const address = (event: Record<string, unknown>) => traits(event).address as Record<string, unknown>
const properties = (event: Record<string, unknown>) => event.properties as Record<string, unknown>

const PLACES: Place[] = [
  { field: 'event name', event: segment((event, text) => (event.event = `Order Completed ${text}`)) },
  { field: 'messageId', event: segment((event, text) => (event.messageId = text)) },
  { field: 'userId', event: segment((event, text) => (event.userId = text)) },
  { field: 'traits.email', event: segment((event, text) => (traits(event).email = `${text}@example.com`)) },
  { field: 'traits.phone', event: segment((event, text) => (traits(event).phone = `+1 ${text}`)) },
  { field: 'traits.firstName', event: segment((event, text) => (traits(event).firstName = text)) },
  { field: 'traits.birthday', event: segment((event, text) => (traits(event).birthday = `1990-01-01 ${text}`)) },
  { field: 'traits.gender', event: segment((event, text) => (traits(event).gender = text)) },
  { field: 'address.city', event: segment((event, text) => (address(event).city = text)) },
  { field: 'address.state', event: segment((event, text) => (address(event).state = `Texas ${text}`)) },
  { field: 'address.postalCode', event: segment((event, text) => (address(event).postalCode = text)) },
  { field: 'address.country', event: segment((event, text) => (address(event).country = `United ${text}`)) },
  {
    field: 'context.userAgent',
    event: segment((event, text) => ((event.context as Record<string, unknown>).userAgent = text))
  },
  {
    field: 'context.page.url',
    event: segment(
      (event, text) => ((event.context as { page: Record<string, unknown> }).page.url = `https://x/?${text}`)
    )
  },
  { field: 'properties.fbc', event: segment((event, text) => (properties(event).fbc = `fb.1.1.${text}`)) },
  { field: 'properties.currency', event: segment((event, text) => (properties(event).currency = text)) },
  { field: 'properties.note', event: segment((event, text) => (properties(event).note = `${text} a@`)) },
  {
    field: 'products[0].name',
    event: segment((event, text) => ((properties(event).products as Record<string, unknown>[])[0].name = text))
  },
  {
    field: 'Amplitude event property',
    event: (text) => ({
      event_type: 'Order Completed',
      user_id: 'u1',
      insert_id: 'i1',
      time: Date.now() - 60_000,
      revenue: 10,
      currency: 'USD',
      event_properties: { note: text, '[Amplitude] Page Location': 'https://shop.example.com/', user_agent: 'UA' }
    })
  }
]

export interface HostileRow {
  field: string
  /** ms per MB at each size, in the order of `sizesMb`. */
  msPerMb: number[]
}

/** A string with spaces, dots and ats sprinkled in, the characters the patterns backtrack on. */
function hostileText(bytes: number): string {
  const unit = 'aaaa.bbb cc@'
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes)
}

export async function runHostile(sizesMb: number[]): Promise<HostileRow[]> {
  const engine = new Engine({ settings, amplitudeEventMap: {} })
  const texts = sizesMb.map((mb) => hostileText(mb * 1024 * 1024))
  const rows: HostileRow[] = []
  for (const place of PLACES) {
    const msPerMb: number[] = []
    for (const [index, text] of texts.entries()) {
      const event = place.event(text)
      const started = performance.now()
      await engine.map([event], 'auto')
      msPerMb.push((performance.now() - started) / sizesMb[index])
    }
    rows.push({ field: place.field, msPerMb })
  }
  return rows
}
