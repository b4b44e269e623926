/** Events the conformance tests build fixtures from (not a test file itself). */
export const UA = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0'
export const NOW = '2026-11-22T08:00:00.000Z'

/** A Lead that the Lead preset maps, an hour before NOW. */
export function lead(messageId: string) {
  return {
    type: 'track',
    event: 'Lead',
    messageId,
    timestamp: '2026-11-22T07:00:00.000Z',
    userId: 'User-123',
    context: { ip: '203.0.113.7', userAgent: UA, page: { url: 'https://shop.example.com/' } },
    properties: { value: 5, currency: 'usd' }
  }
}
