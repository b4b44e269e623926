import { matchQuality, matchQualityFromKeys } from '../../src/sandbox/match-quality'
import { MAX_ROWS, escapeHtml, eventRows, renderPage } from '../../src/sandbox/page'
import type { ReceivedEvent, RejectedRequest } from '../../src/sandbox/types'
import { EM_HASH, NOW_MS, PH_HASH, USER_AGENT, validLead, validPurchase } from './fixtures'

function received(event: Record<string, unknown>, extra: Partial<ReceivedEvent> = {}): ReceivedEvent {
  return { pixelId: '123', receivedAt: NOW_MS, event, ...extra }
}

describe('match quality estimate', () => {
  it.each([
    [[], 0],
    [['em'], 3],
    [['em', 'ph'], 6],
    [['em', 'ph', 'external_id'], 8],
    [['fbp', 'client_ip_address', 'client_user_agent'], 3],
    [['em', 'ph', 'external_id', 'fbc', 'fbp', 'client_ip_address', 'client_user_agent', 'fn'], 10]
  ])('%j scores %d', (keys, score) => {
    expect(matchQualityFromKeys(keys)).toBe(score)
  })

  it('only counts recognised, present keys', () => {
    expect(matchQuality({ em: EM_HASH, ph: '', fn: null, favourite_colour: 'blue' })).toBe(3)
  })
})

describe('eventRows', () => {
  it('marks a repeated event_name + event_id on the same pixel as a duplicate', () => {
    const rows = eventRows([
      received(validLead({ event_id: 'a' })),
      received(validLead({ event_id: 'a' })),
      received(validPurchase({ event_id: 'a' })),
      received(validLead({ event_id: 'a' }), { pixelId: '456' }),
      received(validLead({ event_id: undefined })),
      received(validLead({ event_id: undefined }))
    ])
    expect(rows.map((row) => row.duplicate)).toEqual([false, true, false, false, false, false])
  })

  it('lists keys, never values', () => {
    const [row] = eventRows([received(validPurchase())])
    expect(row.keys).toEqual(['em', 'ph', 'client_ip_address', 'client_user_agent'])
    expect(JSON.stringify(row)).not.toContain(EM_HASH)
  })
})

describe('renderPage', () => {
  const rejected: RejectedRequest = {
    pixelId: '123',
    receivedAt: NOW_MS,
    status: 400,
    eventCount: 20,
    error: {
      message: 'Invalid parameter',
      code: 100,
      error_subcode: 2804016,
      error_user_title: 'Customer Information Parameter Not Hashed',
      error_user_msg: "The parameter $['data'][17]['user_data']['ct'] isn't hashed."
    }
  }

  const html = renderPage({
    received: [
      received(validPurchase({ event_id: 'o-1' }), { testEventCode: 'TEST123', partnerAgent: 'acme-1.0' }),
      received(validLead({ event_name: '<script>alert(1)</script>', event_id: '"x"' }))
    ],
    rejected: [rejected],
    requests: 3
  })

  it('has one event row per event with findable attributes', () => {
    expect(html.match(/<tr class="event"/g)).toHaveLength(2)
    expect(html).toContain('data-event-name="Purchase"')
    expect(html).toContain('data-keys="em,ph,client_ip_address,client_user_agent"')
    expect(html).toContain('data-test-event-code="TEST123"')
    expect(html).toContain('<td class="event-time">2026-11-22T11:59:00.000Z</td>')
    expect(html).toContain('<td class="match-quality">8/10</td>')
  })

  it('escapes everything that came from a request', () => {
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('data-event-id="&quot;x&quot;"')
    expect(html).toContain('$[&#39;data&#39;][17][&#39;user_data&#39;][&#39;ct&#39;]')
  })

  it('never shows hashed values or the user agent', () => {
    expect(html).not.toContain(EM_HASH)
    expect(html).not.toContain(PH_HASH)
    expect(html).not.toContain(USER_AGENT)
  })

  it('shows rejected requests with their messages', () => {
    expect(html).toMatch(/<tr class="rejected" data-status="400" data-code="100" data-subcode="2804016">/)
    expect(html).toContain('<td class="code">100 / 2804016</td>')
  })

  it('refreshes itself every 2 seconds', () => {
    expect(html).toContain('<meta http-equiv="refresh" content="2">')
  })

  it('shows placeholders when empty and caps long histories', () => {
    expect(renderPage({ received: [], rejected: [], requests: 0 })).toContain('No events received yet.')
    const many = Array.from({ length: MAX_ROWS + 5 }, (_, i) => received(validLead({ event_id: `e${i}` })))
    const page = renderPage({ received: many, rejected: [], requests: 1 })
    expect(page.match(/<tr class="event"/g)).toHaveLength(MAX_ROWS)
    expect(page).toContain(`showing the latest ${MAX_ROWS} events`)
    // Newest first, like Events Manager.
    expect(page.indexOf(`data-event-id="e${MAX_ROWS + 4}"`)).toBeLessThan(page.indexOf(`data-event-id="e${MAX_ROWS}"`))
  })

  it('escapes all five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;'
    )
  })
})
