import { createHash } from 'node:crypto'

/** A fixed clock for the event_time window: 2026-11-22T12:00:00Z. */
export const NOW_MS = Date.parse('2026-11-22T12:00:00Z')
export const NOW_S = NOW_MS / 1000

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

export const EM_HASH = sha256('john_smith@gmail.com')
export const PH_HASH = sha256('16505551212')
export const CT_HASH = sha256('menlopark')
export const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) Sandbox/1.0'

/** A website Purchase that satisfies every rule; tests break one thing at a time. */
export function validPurchase(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_name: 'Purchase',
    event_time: NOW_S - 60,
    event_id: 'order-1',
    action_source: 'website',
    event_source_url: 'https://shop.example.com/thank-you',
    user_data: { em: [EM_HASH], ph: PH_HASH, client_user_agent: USER_AGENT, client_ip_address: '203.0.113.7' },
    custom_data: { currency: 'USD', value: 25, contents: [{ id: 'sku-1', quantity: 1 }] },
    ...overrides
  }
}

/** A minimal valid non-website event. */
export function validLead(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_name: 'Lead',
    event_time: NOW_S - 60,
    action_source: 'system_generated',
    user_data: { em: EM_HASH },
    ...overrides
  }
}

/** Copy of an event with `user_data` replaced. */
export function withUserData(event: Record<string, unknown>, userData: Record<string, unknown>) {
  return { ...event, user_data: userData }
}
