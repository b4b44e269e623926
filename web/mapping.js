// The mapping preview: renders the destination definition (GET /mapping/definition) as a host's UI does, collects
// settings and field overrides, and asks the server for map's output (POST /mapping/preview) on every change.
import { el, fetchJson, isHash, shortHash } from './common.js'

const DEBOUNCE_MS = 250
const $ = (id) => document.getElementById(id)

const page = {
  definition: undefined,
  samples: [],
  /** Monotonic: only the latest preview's answer is shown. */
  sequence: 0,
  timer: undefined,
  downloadUrl: undefined
}

/** A directive as a short reading: $.a ?? $.b for @if-exists chains, the path for @path, JSON otherwise. */
export function describeMapping(value) {
  if (value === undefined) return 'not mapped'
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if (typeof value['@path'] === 'string') return value['@path']
    const cond = value['@if']
    if (cond && cond.exists && typeof cond.exists['@path'] === 'string' && cond.else !== undefined) {
      return `${describeMapping(cond.then)} ?? ${describeMapping(cond.else)}`
    }
  }
  const text = JSON.stringify(value)
  return text.length > 160 ? `${text.slice(0, 157)}…` : text
}

/** What the user typed, as a mapping value: a path, JSON, a typed literal or a string; undefined when empty. */
export function parseOverride(text, type) {
  const trimmed = text.trim()
  if (trimmed === '') return { empty: true }
  if (trimmed === '$' || trimmed.startsWith('$.') || trimmed.startsWith('$[')) return { value: { '@path': trimmed } }
  const looksJson = /^[[{]/.test(trimmed)
  const typedLiteral = type !== 'string' && /^(?:true|false|null|-?\d+(?:\.\d+)?)$/.test(trimmed)
  if (looksJson || typedLiteral) {
    try {
      return { value: JSON.parse(trimmed) }
    } catch (error) {
      return { error: `not valid JSON: ${error.message}` }
    }
  }
  return { value: trimmed }
}

function presetByName(name) {
  return page.definition.presets.find((preset) => preset.name === name) ?? page.definition.presets[0]
}

function fieldInputId(path) {
  return `field-${path.join('-')}`
}

function fieldEditor(field, path, presetValue) {
  const id = fieldInputId(path)
  const input = el('input', {
    type: 'text',
    id,
    'data-path': path.join('.'),
    'data-type': field.type,
    placeholder: 'Preset mapping (type a $.path, JSON or a value)',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${id}-help ${id}-parsed`
  })
  const choices = field.choices
    ? el('div', { class: 'default' }, 'Choices: ', field.choices.map((choice) => String(choice.value)).join(', '))
    : null
  return el(
    'div',
    { class: 'field', 'data-field': path.join('.') },
    el(
      'div',
      { class: 'field-head' },
      el('label', { for: id }, field.label),
      el('code', {}, path.join('.')),
      el('span', { class: 'type' }, `${field.type}${field.multiple ? '[]' : ''}${field.required ? ' · required' : ''}`)
    ),
    el('p', { class: 'description', id: `${id}-help` }, field.description),
    el('div', { class: 'default' }, 'Preset: ', el('code', { class: 'preset-value' }, describeMapping(presetValue))),
    choices,
    input,
    el('div', { class: 'parsed', id: `${id}-parsed` })
  )
}

function isPlainObject(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !Object.keys(value).some((key) => key.startsWith('@'))
  )
}

function renderFields() {
  const preset = presetByName($('preset').value)
  $('preset-subscribe').textContent = `Subscription: ${preset.subscribe}`
  const kept = collectOverrideTexts()
  const nodes = page.definition.fields
    .filter((field) => !field.hidden)
    .map((field) => {
      const presetValue = preset.mapping[field.key]
      // Object fields whose preset value is a plain object are merged key by key by the runner: edit them per key.
      if (field.properties && isPlainObject(presetValue)) {
        return el(
          'details',
          { class: 'field nested-field', 'data-field': field.key },
          el('summary', {}, `${field.label} (`, el('code', {}, field.key), `, ${field.properties.length} keys)`),
          el('p', { class: 'description' }, field.description),
          el(
            'div',
            { class: 'nested' },
            ...field.properties.map((property) =>
              fieldEditor(property, [field.key, property.key], presetValue[property.key])
            )
          )
        )
      }
      return fieldEditor(field, [field.key], presetValue)
    })
  $('fields').replaceChildren(...nodes)
  for (const [path, text] of Object.entries(kept)) {
    const input = document.querySelector(`[data-path="${CSS.escape(path)}"]`)
    if (input) input.value = text
  }
  updateParsedHints()
}

function collectOverrideTexts() {
  const texts = {}
  for (const input of document.querySelectorAll('#fields input[data-path]'))
    if (input.value !== '') texts[input.dataset.path] = input.value
  return texts
}

/** The overrides as the runner config's `mapping`; nested keys become one object per field. */
function collectMapping() {
  const mapping = {}
  const errors = []
  for (const input of document.querySelectorAll('#fields input[data-path]')) {
    const parsed = parseOverride(input.value, input.dataset.type)
    if (parsed.empty) continue
    if (parsed.error) {
      errors.push(`${input.dataset.path}: ${parsed.error}`)
      continue
    }
    const [key, property] = input.dataset.path.split('.')
    if (property === undefined) mapping[key] = parsed.value
    else mapping[key] = { ...(mapping[key] ?? {}), [property]: parsed.value }
  }
  return { mapping, errors }
}

function updateParsedHints() {
  for (const input of document.querySelectorAll('#fields input[data-path]')) {
    const hint = document.getElementById(`${input.id}-parsed`)
    const parsed = parseOverride(input.value, input.dataset.type)
    const field = input.closest('.field')
    field.classList.toggle('overridden', !parsed.empty)
    hint.classList.toggle('error', Boolean(parsed.error))
    hint.textContent = parsed.empty ? '' : parsed.error ? parsed.error : `→ ${JSON.stringify(parsed.value)}`
  }
}

function settingInput(field) {
  const id = `setting-${field.key}`
  let input
  if (field.type === 'boolean') {
    input = el('input', {
      type: 'checkbox',
      id,
      'data-setting': field.key,
      'data-type': 'boolean',
      checked: field.default === true
    })
  } else if (field.choices) {
    input = el(
      'select',
      { id, 'data-setting': field.key, 'data-type': field.type },
      el('option', { value: '' }, `Default${field.default !== undefined ? ` (${field.default})` : ''}`),
      ...field.choices.map((choice) => el('option', { value: String(choice.value) }, choice.label))
    )
  } else if (field.key === 'amplitudeEventMap') {
    input = el('textarea', {
      id,
      'data-setting': field.key,
      'data-type': 'string',
      rows: 2,
      placeholder: 'Sign Up = CompleteRegistration'
    })
  } else {
    input = el('input', {
      type: field.type === 'password' ? 'password' : 'text',
      id,
      'data-setting': field.key,
      'data-type': field.type,
      placeholder: field.default !== undefined ? String(field.default) : '',
      autocomplete: 'off'
    })
  }
  return el(
    'div',
    { class: 'field' },
    el(
      'div',
      { class: 'field-head' },
      el('label', { for: id }, field.label),
      el('code', {}, field.key),
      el('span', { class: 'type' }, `${field.type}${field.required ? ' · required' : ''}`)
    ),
    el(
      'p',
      { class: 'description' },
      field.description,
      field.key === 'accessToken' ? ' Not needed for a preview, and never exported.' : ''
    ),
    input
  )
}

function collectSettings() {
  const settings = {}
  for (const input of document.querySelectorAll('[data-setting]')) {
    const key = input.dataset.setting
    if (key === 'accessToken') continue
    if (input.dataset.type === 'boolean') {
      if (input.checked) settings[key] = true
    } else if (input.value.trim() !== '') {
      const numeric = input.dataset.type === 'number' || input.dataset.type === 'integer'
      settings[key] = numeric ? Number(input.value) : input.value.trim()
    }
  }
  return settings
}

function renderMatch(result) {
  const box = $('preview-match')
  if (!result.match) return box.replaceChildren()
  const chips = result.userData.map((entry) =>
    el(
      'span',
      { class: 'chip', 'data-key': entry.key, title: entry.values.map(shortHash).join(', ') },
      entry.label,
      entry.hashed && entry.values.every(isHash) ? el('span', { class: 'hash-tag' }, 'SHA-256') : null
    )
  )
  box.replaceChildren(
    el(
      'p',
      {},
      el(
        'span',
        { class: `badge ${result.match.rating}`, id: 'preview-score' },
        `Match ${result.match.score}/10 · ${result.match.rating}`
      ),
      ' sandbox estimate (see the Test events page for its sources)'
    ),
    el('p', {}, el('span', { class: 'note' }, 'Customer information: '), ...(chips.length ? chips : ['none'])),
    result.match.missing.length
      ? el('p', { class: 'note' }, `Would raise it most: ${result.match.missing.slice(0, 4).join(', ')}`)
      : null
  )
}

function renderDiagnostics(result) {
  const list = result.diagnostics
  $('preview-diagnostics').replaceChildren(
    ...(list.length === 0
      ? []
      : [
          el('h3', {}, 'Left out by the destination'),
          el('ul', { class: 'warnings' }, ...list.map((d) => el('li', {}, el('code', {}, d.field), ` — ${d.reason}`)))
        ])
  )
}

function renderPreview(result) {
  const status = $('preview-status')
  const line = result.line
  if (line.event) {
    status.className = 'status-line ok'
    status.textContent = `Mapped by the preset "${result.preset}": this is the event in the request's data.`
    if (result.preset && result.preset !== $('preset').value)
      status.textContent += ` (The preset shown on the left is "${$('preset').value}".)`
  } else if (line.skipped) {
    status.className = 'status-line skipped'
    status.textContent = `Skipped: ${line.skipped}`
  } else {
    status.className = 'status-line error'
    status.textContent = `Refused (${line.status}): ${line.error}`
  }
  $('sample-note').textContent = result.stamped
    ? 'The sample has no time, so it was given the current time, as map does.'
    : ''
  $('preview-event').textContent = line.event ? JSON.stringify(line.event, null, 2) : '—'
  renderMatch(result)
  renderDiagnostics(result)
  renderExport(result.config)
}

function renderExport(config) {
  const text = `${JSON.stringify(config, null, 2)}\n`
  $('export-config').textContent = text
  if (page.downloadUrl) URL.revokeObjectURL(page.downloadUrl)
  page.downloadUrl = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
  $('download-config').href = page.downloadUrl
}

function showProblem(message) {
  const status = $('preview-status')
  status.className = 'status-line error'
  status.textContent = message
  $('preview-event').textContent = '—'
}

async function preview() {
  const sequence = ++page.sequence
  updateParsedHints()
  let input
  try {
    input = JSON.parse($('sample').value)
  } catch (error) {
    return showProblem(
      $('sample').value.trim() === '' ? 'Paste or pick a sample event.' : `The sample is not JSON: ${error.message}`
    )
  }
  const { mapping, errors } = collectMapping()
  if (errors.length > 0) return showProblem(`Fix the mapping first: ${errors.join('; ')}`)
  const body = { settings: collectSettings(), mapping, source: $('source').value, input }
  const { status, body: result } = await fetchJson('/mapping/preview', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  if (sequence !== page.sequence) return
  if (status !== 200) return showProblem(result.error ?? `The preview failed (${status})`)
  renderPreview(result)
}

function schedulePreview() {
  clearTimeout(page.timer)
  page.timer = setTimeout(preview, DEBOUNCE_MS)
}

function pickSample(index) {
  const sample = page.samples[Number(index)]
  if (!sample) return
  $('sample-pick').value = String(index)
  $('sample').value = JSON.stringify(sample.event, null, 2)
  schedulePreview()
}

/** Picking a preset loads an example it maps, when the current sample is not one. */
function onPresetChange() {
  renderFields()
  const current = page.samples[Number($('sample-pick').value)]
  const name = $('preset').value
  if (current?.preset !== name) {
    const index = page.samples.findIndex((sample) => sample.preset === name)
    if (index >= 0) return pickSample(index)
  }
  schedulePreview()
}

async function copyConfig() {
  try {
    await navigator.clipboard.writeText($('export-config').textContent)
    $('copy-status').textContent = 'Copied.'
  } catch {
    $('copy-status').textContent = 'Copy is not allowed here: select the text instead.'
  }
}

async function start() {
  const [{ body: definition }, { body: samples }] = await Promise.all([
    fetchJson('/mapping/definition'),
    fetchJson('/mapping/examples')
  ])
  page.definition = definition
  page.samples = samples
  $('settings').replaceChildren(...definition.settings.map(settingInput))
  $('preset').replaceChildren(...definition.presets.map((preset) => el('option', { value: preset.name }, preset.name)))
  $('sample-pick').append(...samples.map((sample, index) => el('option', { value: String(index) }, sample.label)))
  renderFields()
  for (const id of ['settings', 'fields']) {
    $(id).addEventListener('input', schedulePreview)
    $(id).addEventListener('change', schedulePreview)
  }
  $('sample').addEventListener('input', () => {
    $('sample-pick').value = ''
    schedulePreview()
  })
  $('source').addEventListener('change', schedulePreview)
  $('sample-pick').addEventListener('change', (event) =>
    event.target.value === '' ? schedulePreview() : pickSample(event.target.value)
  )
  $('preset').addEventListener('change', onPresetChange)
  $('reset-overrides').addEventListener('click', () => {
    for (const input of document.querySelectorAll('#fields input[data-path]')) input.value = ''
    schedulePreview()
  })
  $('copy-config').addEventListener('click', copyConfig)
  // The ingest service serves this page without the sandbox's Test events page.
  fetch('/__sandbox/view?since=-1', { method: 'GET' })
    .then((response) => response.ok || $('nav-test-events').remove())
    .catch(() => $('nav-test-events').remove())
  if (samples.length > 0) {
    const first = samples.findIndex((sample) => sample.preset === $('preset').value)
    pickSample(first >= 0 ? first : 0)
  }
}

document.addEventListener('DOMContentLoaded', () => {
  start().catch((error) => showProblem(`The page could not load the definition: ${error.message}`))
})
