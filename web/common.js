// Small DOM helpers shared by the pages. Text always goes in through textContent, never as HTML.

/** el('div', { class: 'x', 'data-id': 1 }, 'text', child…): attributes set, children appended; null children skipped. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue
    if (name === 'onclick' || name === 'oninput' || name === 'onchange') node.addEventListener(name.slice(2), value)
    else node.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue
    node.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
  return node
}

/** "2026-11-29 23:14:05 UTC" from an ISO time: seconds matter when comparing received and event times. */
export function formatTime(iso) {
  if (!iso) return '—'
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')
}

/** A SHA-256 hash shortened for reading; the full value is in the request JSON. */
export function shortHash(value) {
  return /^[a-f0-9]{64}$/.test(value) ? `${value.slice(0, 10)}…` : value
}

export function isHash(value) {
  return /^[a-f0-9]{64}$/.test(value)
}

export async function fetchJson(url, options = {}) {
  const response = await fetch(url, { cache: 'no-store', ...options })
  const body = response.status === 204 ? undefined : await response.json()
  return { status: response.status, body }
}

/** A custom_data value as one line. */
export function formatValue(value) {
  if (value === null || value === undefined) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}
