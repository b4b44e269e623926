import definition from '../destinations/meta-pixel'
import { isRecord } from '../lib/is-record'

/**
 * The destination definition as a host's UI reads it: settings, presets and the action's fields with their labels,
 * descriptions, types, defaults (mapping directives such as `@path`) and choices. Read from the definition itself,
 * so the mapping page can never drift from what the destination does.
 */

export interface FieldView {
  key: string
  label: string
  description: string
  type: string
  required: boolean
  multiple: boolean
  /** The field's default mapping as JSON: a directive ({"@path": "$.…"}, {"@if": …}) or a literal. */
  default?: unknown
  choices?: { value: unknown; label: string }[]
  /** Object fields: their properties, each a field of its own. */
  properties?: FieldView[]
  hidden: boolean
}

export interface PresetView {
  name: string
  subscribe: string
  /** The preset's whole mapping: the action's defaults plus the preset's own values. */
  mapping: Record<string, unknown>
}

export interface DefinitionView {
  name: string
  action: { key: string; title: string; description: string }
  settings: FieldView[]
  presets: PresetView[]
  fields: FieldView[]
}

function choicesOf(value: unknown): FieldView['choices'] {
  if (!Array.isArray(value)) return undefined
  return value.map((choice) =>
    isRecord(choice)
      ? { value: choice.value, label: String(choice.label ?? choice.value) }
      : { value: choice, label: String(choice) }
  )
}

/** Strips functions (dynamic fields) and anything else JSON cannot carry. */
function json(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
}

function fieldView(key: string, field: Record<string, unknown>): FieldView {
  const view: FieldView = {
    key,
    label: String(field.label ?? key),
    description: String(field.description ?? ''),
    type: String(field.type ?? 'string'),
    required: field.required === true,
    multiple: field.multiple === true,
    hidden: field.unsafe_hidden === true
  }
  if (field.default !== undefined) view.default = json(field.default)
  const choices = choicesOf(field.choices)
  if (choices) view.choices = choices
  if (isRecord(field.properties)) view.properties = fieldViews(field.properties)
  return view
}

function fieldViews(fields: Record<string, unknown>): FieldView[] {
  return Object.entries(fields).flatMap(([key, field]) => (isRecord(field) ? [fieldView(key, field)] : []))
}

export function describeDefinition(): DefinitionView {
  const action = definition.actions.sendEvent
  return {
    name: definition.name,
    action: { key: 'sendEvent', title: action.title, description: action.description },
    settings: fieldViews((definition.authentication?.fields ?? {}) as Record<string, unknown>),
    presets: (definition.presets ?? []).flatMap((preset) =>
      preset.type === 'automatic'
        ? [
            {
              name: preset.name ?? preset.subscribe,
              subscribe: preset.subscribe,
              mapping: json(preset.mapping ?? {}) as Record<string, unknown>
            }
          ]
        : []
    ),
    fields: fieldViews(action.fields as Record<string, unknown>)
  }
}
