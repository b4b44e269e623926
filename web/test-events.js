// The Test Events page: polls GET /__sandbox/view and renders one card per event, newest first, keeping the
// reader's filters, expanded cards and focus across updates (no page reloads).
import { el, fetchJson, formatTime, formatValue, isHash, shortHash } from './common.js'

const POLL_MS = 1500
const STATUS_LABELS = {
  received: 'Received',
  deduplicated: 'Deduplicated',
  refused: 'Refused',
  skipped: 'Skipped',
  failed: 'Failed'
}
const DEDUP_LABELS = { kept: 'Kept', duplicate: 'Duplicate', no_event_id: 'No event_id' }

const page = {
  view: undefined,
  expanded: new Set(),
  /** id → { signature, node }: a card is rebuilt only when its row changed. */
  cards: new Map()
}

const $ = (id) => document.getElementById(id)

function filters() {
  return { name: $('filter-name').value, code: $('filter-code').value, status: $('filter-status').value }
}

function visible(row, { name, code, status }) {
  if (name && row.eventName !== name) return false
  if (code === '-' && row.testEventCode) return false
  if (code && code !== '-' && row.testEventCode !== code) return false
  return !status || row.status === status
}

function parametersLine(row) {
  const parts = []
  if (row.actionSource) parts.push(el('span', {}, el('span', { class: 'label' }, 'Action source'), row.actionSource))
  if (row.url) parts.push(el('span', { class: 'url' }, el('span', { class: 'label' }, 'URL'), row.url))
  const data = row.customData ?? {}
  if (data.value !== undefined) {
    parts.push(el('span', {}, el('span', { class: 'label' }, 'Value'), `${data.value} ${data.currency ?? ''}`.trim()))
  }
  if (Array.isArray(data.contents)) {
    parts.push(el('span', {}, el('span', { class: 'label' }, 'Contents'), `${data.contents.length} item(s)`))
  }
  const others = Object.keys(data).filter((key) => !['value', 'currency', 'contents'].includes(key))
  if (others.length > 0) parts.push(el('span', {}, el('span', { class: 'label' }, 'Custom data'), others.join(', ')))
  return parts.length === 0
    ? null
    : el('div', { class: 'parameters wide' }, ...parts.flatMap((part) => [part, ' · ']).slice(0, -1))
}

function customerLine(row) {
  if (row.userData.length === 0) return null
  const chips = row.userData.map((entry) =>
    el(
      'span',
      { class: 'chip', 'data-key': entry.key, title: `${entry.key}${entry.hashed ? ' (SHA-256 hashed)' : ''}` },
      entry.label,
      entry.hashed && entry.values.every(isHash) ? el('span', { class: 'hash-tag' }, 'SHA-256') : null
    )
  )
  return el('div', { class: 'customer wide' }, el('span', { class: 'label' }, 'Customer information'), ...chips)
}

function warningsBlock(row) {
  if (row.warnings.length === 0) return null
  return el(
    'div',
    { class: 'wide' },
    el('span', { class: 'label' }, 'Warnings: left out by the destination'),
    el(
      'ul',
      { class: 'warnings' },
      ...row.warnings.map((w) => el('li', { class: 'warning' }, el('code', {}, w.field), ` — ${w.reason}`))
    )
  )
}

function detailsBlock(row, id) {
  const blocks = []
  const data = row.customData ?? {}
  if (Object.keys(data).length > 0) {
    blocks.push(
      el('h3', {}, 'Custom data'),
      el(
        'table',
        {},
        ...Object.entries(data).map(([key, value]) => el('tr', {}, el('th', {}, key), el('td', {}, formatValue(value))))
      )
    )
  }
  if (row.userData.length > 0) {
    blocks.push(
      el('h3', {}, 'Customer information parameters'),
      el(
        'table',
        { class: 'user-data' },
        el('tr', {}, el('th', {}, 'Parameter'), el('th', {}, 'Key'), el('th', {}, 'Value as received')),
        ...row.userData.map((entry) =>
          el(
            'tr',
            { 'data-key': entry.key },
            el('td', {}, entry.label),
            el('td', {}, el('code', {}, entry.key)),
            el(
              'td',
              {},
              entry.values.map((value) => (isHash(value) ? `SHA-256 ${shortHash(value)}` : value)).join(', ')
            )
          )
        )
      )
    )
  }
  if (row.match) {
    blocks.push(
      el('h3', {}, 'Match quality estimate'),
      el(
        'p',
        {},
        `${row.match.keys.map((k) => `${k.key} +${k.weight}`).join(', ') || 'No customer information keys'}.`,
        row.match.missing.length > 0 ? ` Missing the most: ${row.match.missing.slice(0, 4).join(', ')}.` : ''
      )
    )
  }
  if (row.request)
    blocks.push(
      el('h3', {}, 'Request JSON'),
      el('pre', { class: 'request-json' }, JSON.stringify(row.request, null, 2))
    )
  if (blocks.length === 0) return null
  return el('div', { class: 'details', id, hidden: !page.expanded.has(row.id) }, ...blocks)
}

function card(row) {
  const detailsId = `details-${row.id}`
  const expanded = page.expanded.has(row.id)
  const details = detailsBlock(row, detailsId)
  const toggle =
    details &&
    el(
      'button',
      {
        type: 'button',
        class: 'toggle',
        'aria-expanded': String(expanded),
        'aria-controls': detailsId,
        'data-toggle': row.id
      },
      expanded ? 'Hide details' : row.request ? 'Show details and request JSON' : 'Show details'
    )
  const match = row.match
    ? el(
        'span',
        { class: `badge match ${row.match.rating}`, title: 'Event match quality (sandbox estimate)' },
        `Match ${row.match.score}/10 · ${row.match.rating}`
      )
    : null
  return el(
    'li',
    {
      class: 'event',
      'data-id': row.id,
      'data-status': row.status,
      'data-event-name': row.eventName,
      'data-event-id': row.eventId,
      'data-test-event-code': row.testEventCode
    },
    el(
      'div',
      { class: 'event-head' },
      el('span', { class: `badge status ${row.status}` }, STATUS_LABELS[row.status]),
      el('span', { class: 'event-name' }, row.eventName || '(no name)'),
      row.testEventCode ? el('span', { class: 'badge test-code' }, `Test code ${row.testEventCode}`) : null,
      match
    ),
    el(
      'div',
      { class: 'event-meta' },
      el('span', { class: 'received-at' }, `Received ${formatTime(row.receivedAt)}`),
      row.eventTime ? el('span', { class: 'event-time' }, `Event time ${formatTime(row.eventTime)}`) : null,
      el('span', { class: 'source' }, row.source),
      row.pixelId ? el('span', {}, `Pixel ${row.pixelId}`) : null
    ),
    el(
      'div',
      { class: 'event-body' },
      row.reason
        ? el(
            'div',
            { class: 'wide' },
            el('span', { class: 'label' }, row.httpStatus ? `Reason (${row.httpStatus})` : 'Reason'),
            el('span', { class: 'reason' }, row.reason)
          )
        : null,
      parametersLine(row),
      customerLine(row),
      row.dedup
        ? el(
            'div',
            { class: 'dedup wide' },
            el('span', { class: 'label' }, 'Deduplication'),
            el('span', { class: `badge ${row.dedup.status}` }, DEDUP_LABELS[row.dedup.status]),
            ' ',
            row.eventId ? el('code', {}, row.eventId) : null,
            el('span', { class: 'note' }, ` ${row.dedup.note}`)
          )
        : row.eventId
          ? el('div', { class: 'wide' }, el('span', { class: 'label' }, 'Input ID'), el('code', {}, row.eventId))
          : null,
      warningsBlock(row)
    ),
    toggle,
    details
  )
}

function renderSummary(view) {
  const c = view.counts
  $('summary').textContent =
    `${c.received + c.deduplicated} events received (${c.deduplicated} deduplicated) · ${c.refused} refused · ` +
    `${c.skipped} skipped · ${c.failed} failed · ${view.requests} requests · ${c.rejectedRequests} rejected requests`
}

function syncOptions(select, values, keep) {
  const present = new Set([...select.options].map((option) => option.value))
  for (const value of values) if (!present.has(value)) select.append(el('option', { value }, value))
  select.value = keep
}

function renderEvents(view) {
  const list = $('events')
  const chosen = filters()
  const rows = view.rows.filter((row) => visible(row, chosen))
  const wanted = new Set(rows.map((row) => row.id))
  for (const [id, entry] of page.cards) {
    if (!wanted.has(id)) {
      entry.node.remove()
      page.cards.delete(id)
    }
  }
  list.querySelector('.empty')?.remove()
  // Insert or replace only what changed; existing cards keep their place (and the reader's focus).
  let cursor = list.firstElementChild
  for (const row of rows) {
    const signature = JSON.stringify([row, page.expanded.has(row.id)])
    let entry = page.cards.get(row.id)
    if (!entry || entry.signature !== signature) {
      const node = card(row)
      if (entry) {
        if (cursor === entry.node) cursor = node
        entry.node.replaceWith(node)
      }
      entry = { signature, node }
      page.cards.set(row.id, entry)
    }
    if (entry.node === cursor) cursor = cursor.nextElementSibling
    else list.insertBefore(entry.node, cursor)
  }
  if (rows.length === 0) {
    list.append(
      el('li', { class: 'empty' }, view.rows.length === 0 ? 'No events yet.' : 'No events match the filters.')
    )
  }
}

function renderRejected(view) {
  const body = $('rejected').tBodies[0]
  body.replaceChildren(
    ...(view.rejected.length === 0
      ? [el('tr', { class: 'empty' }, el('td', { colspan: 6 }, 'No rejected requests.'))]
      : view.rejected.map((r) =>
          el(
            'tr',
            { class: 'rejected' },
            el('td', {}, formatTime(r.receivedAt)),
            el('td', {}, r.pixelId),
            el('td', {}, r.status),
            el('td', {}, r.code),
            el('td', {}, r.eventCount),
            el('td', { class: 'message' }, r.title ? `${r.title}: ${r.message}` : r.message)
          )
        ))
  )
}

function render() {
  const view = page.view
  if (!view) return
  renderSummary(view)
  syncOptions($('filter-name'), view.eventNames, $('filter-name').value)
  syncOptions($('filter-code'), view.testEventCodes, $('filter-code').value)
  renderEvents(view)
  renderRejected(view)
}

function toggle(id) {
  const focused = document.activeElement?.getAttribute('data-toggle') === id
  if (page.expanded.has(id)) page.expanded.delete(id)
  else page.expanded.add(id)
  render()
  if (focused) document.querySelector(`[data-toggle="${CSS.escape(id)}"]`)?.focus()
}

async function poll() {
  try {
    const since = page.view ? `?since=${page.view.version}` : ''
    const { status, body } = await fetchJson(`/__sandbox/view${since}`)
    if (status === 200) {
      page.view = body
      render()
    }
  } catch {
    $('summary').textContent = 'The sandbox is not answering; retrying…'
  }
  setTimeout(poll, POLL_MS)
}

async function clearEvents() {
  await fetch('/__sandbox/reset', { method: 'POST' })
  page.expanded.clear()
  page.view = undefined
  const { body } = await fetchJson('/__sandbox/view')
  page.view = body
  render()
}

document.addEventListener('DOMContentLoaded', () => {
  $('events').addEventListener('click', (event) => {
    const button = event.target.closest('[data-toggle]')
    if (button) toggle(button.getAttribute('data-toggle'))
  })
  for (const id of ['filter-name', 'filter-code', 'filter-status']) $(id).addEventListener('change', render)
  $('filters').addEventListener('submit', (event) => event.preventDefault())
  $('clear').addEventListener('click', clearEvents)
  poll()
})
