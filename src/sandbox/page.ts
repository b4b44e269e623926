import { presentCustomerKeys } from './customer-keys'
import { MAX_MATCH_QUALITY, matchQualityFromKeys } from './match-quality'
import type { ReceivedEvent, RejectedRequest } from './types'

/**
 * Pure HTML rendering of the sandbox's root page, modelled on Events Manager's "Test Events" tab.
 * It shows which customer-information keys arrived but never their values: hashes are still personal data,
 * and the page is meant to be shown on screen and in screenshots.
 */

export interface PageInput {
  received: readonly ReceivedEvent[]
  rejected: readonly RejectedRequest[]
  requests: number
}

/** Rows beyond this are left out so a long-running sandbox keeps a page the browser can refresh every 2 s. */
export const MAX_ROWS = 500
export const REFRESH_SECONDS = 2

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => HTML_ESCAPES[char])
}

export interface EventRow {
  pixelId: string
  eventName: string
  eventTime: string
  actionSource: string
  keys: string[]
  matchQuality: number
  eventId: string
  duplicate: boolean
  testEventCode: string
  partnerAgent: string
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : ''
}

function isoSeconds(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000).toISOString() : ''
}

/**
 * One row per event, in arrival order. An event is a duplicate when the same pixel already received the same
 * event_name + event_id, Meta's recommended dedup key (meta-capi.md §11); the 48 h window is ignored
 * because a sandbox never lives that long.
 */
export function eventRows(received: readonly ReceivedEvent[]): EventRow[] {
  const seen = new Set<string>()
  return received.map(({ pixelId, testEventCode, partnerAgent, event }) => {
    const eventName = text(event.event_name)
    const eventId = text(event.event_id)
    const dedupKey = JSON.stringify([pixelId, eventName, eventId])
    const duplicate = eventId !== '' && seen.has(dedupKey)
    if (eventId !== '') seen.add(dedupKey)
    const keys = presentCustomerKeys(event.user_data)
    return {
      pixelId,
      eventName,
      eventTime: isoSeconds(event.event_time),
      actionSource: text(event.action_source),
      keys,
      matchQuality: matchQualityFromKeys(keys),
      eventId,
      duplicate,
      testEventCode: testEventCode ?? '',
      partnerAgent: partnerAgent ?? ''
    }
  })
}

function renderEventRow(row: EventRow): string {
  const attributes = [
    'class="event"',
    `data-event-name="${escapeHtml(row.eventName)}"`,
    `data-event-id="${escapeHtml(row.eventId)}"`,
    `data-keys="${escapeHtml(row.keys.join(','))}"`,
    `data-match-quality="${row.matchQuality}"`,
    `data-duplicate="${row.duplicate}"`,
    `data-test-event-code="${escapeHtml(row.testEventCode)}"`
  ].join(' ')
  const keys = row.keys.map((key) => `<span class="key">${escapeHtml(key)}</span>`).join(' ')
  const duplicate = row.duplicate ? ' <span class="duplicate">duplicate</span>' : ''
  return (
    `<tr ${attributes}>` +
    `<td class="event-name">${escapeHtml(row.eventName)}</td>` +
    `<td class="event-time">${escapeHtml(row.eventTime)}</td>` +
    `<td class="action-source">${escapeHtml(row.actionSource)}</td>` +
    `<td class="keys">${keys}</td>` +
    `<td class="match-quality">${row.matchQuality}/${MAX_MATCH_QUALITY}</td>` +
    `<td class="dedup"><span class="event-id">${escapeHtml(row.eventId)}</span>${duplicate}</td>` +
    `<td class="test-event-code">${escapeHtml(row.testEventCode)}</td>` +
    `<td class="pixel">${escapeHtml(row.pixelId)}</td>` +
    `<td class="partner-agent">${escapeHtml(row.partnerAgent)}</td>` +
    '</tr>'
  )
}

function renderRejectedRow(request: RejectedRequest): string {
  const error = request.error
  const code = text(error.code)
  const subcode = text(error.error_subcode)
  const message = text(error.error_user_msg) || text(error.message)
  const attributes = [
    'class="rejected"',
    `data-status="${request.status}"`,
    `data-code="${escapeHtml(code)}"`,
    `data-subcode="${escapeHtml(subcode)}"`
  ].join(' ')
  return (
    `<tr ${attributes}>` +
    `<td class="received-at">${escapeHtml(new Date(request.receivedAt).toISOString())}</td>` +
    `<td class="pixel">${escapeHtml(request.pixelId)}</td>` +
    `<td class="status">${request.status}</td>` +
    `<td class="code">${escapeHtml(subcode ? `${code} / ${subcode}` : code)}</td>` +
    `<td class="event-count">${request.eventCount}</td>` +
    `<td class="title">${escapeHtml(text(error.error_user_title))}</td>` +
    `<td class="message">${escapeHtml(message)}</td>` +
    '</tr>'
  )
}

/** Newest first and capped, as the Test Events tab shows them. */
function latest<T>(items: readonly T[]): T[] {
  return items.slice(-MAX_ROWS).reverse()
}

function table(id: string, headers: string[], rows: string[], empty: string): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('')
  const body =
    rows.length > 0 ? rows.join('\n') : `<tr class="empty"><td colspan="${headers.length}">${empty}</td></tr>`
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1c2b33}
table{border-collapse:collapse;width:100%;margin-bottom:2rem;font-size:.9rem}
th,td{border-bottom:1px solid #dde;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f2f5}
.key{display:inline-block;background:#e7f3ff;border-radius:3px;padding:0 .3rem;margin:1px;font-family:monospace}
.duplicate{color:#b00;font-weight:600}
.rejected .message{color:#b00}
.note{color:#65676b;font-size:.85rem}
`

const EVENT_HEADERS = [
  'Event',
  'Event time',
  'Action source',
  'Customer information keys',
  'Match quality (estimate)',
  'Dedup key (event_id)',
  'Test event code',
  'Pixel',
  'Partner agent'
]

const REJECTED_HEADERS = ['Received at', 'Pixel', 'HTTP status', 'Code / subcode', 'Events', 'Title', 'Message']

export function renderPage(input: PageInput): string {
  const events = eventRows(input.received).map(renderEventRow)
  const rejected = input.rejected.map(renderRejectedRow)
  const summary =
    `<p id="summary" data-requests="${input.requests}" data-received="${input.received.length}" ` +
    `data-rejected="${input.rejected.length}">${input.requests} requests · ${input.received.length} events received · ` +
    `${input.rejected.length} requests rejected` +
    (events.length > MAX_ROWS ? ` · showing the latest ${MAX_ROWS} events` : '') +
    '</p>'
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>Meta CAPI sandbox · Test events</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Meta CAPI sandbox · Test events</h1>
${summary}
<section id="events-section">
<h2>Received events</h2>
${table('events', EVENT_HEADERS, latest(events), 'No events received yet.')}
<p class="note">Match quality is a sandbox estimate, not Meta's score: 3 each for em and ph, 2 for external_id,
1 for every other customer-information key, capped at ${MAX_MATCH_QUALITY}. Values are never shown, only key names.</p>
</section>
<section id="rejected-section">
<h2>Rejected requests</h2>
${table('rejected', REJECTED_HEADERS, latest(rejected), 'No rejected requests.')}
</section>
</body>
</html>
`
}
