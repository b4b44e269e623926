/**
 * Checks of the keys that choose which events go and under which name (README "Choosing which events go"):
 * presets, subscriptions, eventMap, customEvents and consent. Each problem names where it is and, for an unknown
 * key or preset, the nearest known one.
 */
import { parseFql } from '@segment/destination-subscriptions'
import { isRecord } from '../../lib/is-record'
import { nearestName } from '../../lib/nearest-name'
import { PRESET_NAMES } from '../routing'
import { mappingProblems, unknownKeyProblems } from './check'

const SUBSCRIPTION_KEYS = ['name', 'subscribe', 'mapping', 'preset']
const CUSTOM_EVENTS_KEYS = ['allow', 'deny']
const CONSENT_KEYS = ['categories', 'onDenied', 'requireConsent']
const DENIAL_ACTIONS = ['skip', 'limitedDataUse']

const isNameList = (value: unknown) =>
  Array.isArray(value) && value.every((name) => typeof name === 'string' && name.trim() !== '')

function presetProblems(name: unknown, where: string): string[] {
  if (typeof name === 'string' && PRESET_NAMES.includes(name)) return []
  const nearest = typeof name === 'string' ? nearestName(name, PRESET_NAMES) : undefined
  const hint = nearest ? `did you mean "${nearest}"?` : `presets are: ${PRESET_NAMES.join(', ')}`
  return [`unknown preset ${JSON.stringify(name)} in ${where}; ${hint}`]
}

function presetsProblems(value: unknown, where: string): string[] {
  if (value === undefined || typeof value === 'boolean') return []
  if (!isNameList(value)) return [`"presets" in ${where} must be true, false or a list of preset names`]
  return (value as string[]).flatMap((name) => presetProblems(name, `"presets" of ${where}`))
}

function subscriptionProblems(entry: unknown, where: string): string[] {
  if (!isRecord(entry)) return [`${where} must be an object of name, subscribe and mapping`]
  const problems = unknownKeyProblems(entry, SUBSCRIPTION_KEYS, where)
  if (typeof entry.name !== 'string' || entry.name.trim() === '') problems.push(`${where} needs a "name"`)
  if (typeof entry.subscribe !== 'string') problems.push(`${where} needs "subscribe", an FQL condition`)
  else if ('error' in parseFql(entry.subscribe)) {
    problems.push(`"subscribe" in ${where} is not valid FQL: ${JSON.stringify(entry.subscribe)}`)
  }
  if (entry.mapping !== undefined) {
    if (isRecord(entry.mapping)) problems.push(...mappingProblems(entry.mapping, where))
    else problems.push(`"mapping" in ${where} must be an object`)
  }
  if (entry.preset !== undefined) problems.push(...presetProblems(entry.preset, where))
  return problems
}

function subscriptionsProblems(value: unknown, where: string): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) return [`"subscriptions" in ${where} must be a list of { name, subscribe, mapping }`]
  return value.flatMap((entry, index) => subscriptionProblems(entry, `subscription #${index + 1} of ${where}`))
}

function eventMapProblems(value: unknown, where: string): string[] {
  if (value === undefined) return []
  const ok = isRecord(value) && Object.values(value).every((name) => typeof name === 'string' && name.trim() !== '')
  return ok ? [] : [`"eventMap" in ${where} must be an object of "source event": "Meta event"`]
}

function customEventsProblems(value: unknown, where: string): string[] {
  if (value === undefined) return []
  const inner = `"customEvents" of ${where}`
  if (!isRecord(value)) return [`${inner} must be an object with "allow" and/or "deny"`]
  const problems = unknownKeyProblems(value, CUSTOM_EVENTS_KEYS, inner)
  if (value.allow !== undefined && value.allow !== 'all' && !isNameList(value.allow)) {
    problems.push(`"allow" in ${inner} must be "all" or a list of event names`)
  }
  if (value.deny !== undefined && !isNameList(value.deny)) problems.push(`"deny" in ${inner} must be a list of names`)
  return problems
}

function consentProblems(value: unknown, where: string): string[] {
  if (value === undefined) return []
  const inner = `"consent" of ${where}`
  if (!isRecord(value)) return [`${inner} must be an object`]
  const problems = unknownKeyProblems(value, CONSENT_KEYS, inner)
  if (value.categories !== undefined && !isNameList(value.categories)) {
    problems.push(`"categories" in ${inner} must be a list of consent categories or IDs`)
  }
  if (value.onDenied !== undefined && !DENIAL_ACTIONS.includes(value.onDenied as string)) {
    problems.push(`"onDenied" in ${inner} must be one of ${DENIAL_ACTIONS.join(', ')}`)
  }
  if (value.requireConsent !== undefined && typeof value.requireConsent !== 'boolean') {
    problems.push(`"requireConsent" in ${inner} must be true or false`)
  }
  return problems
}

/** Every problem with the routing keys of one destination configuration. */
export function routingProblems(object: Record<string, unknown>, where: string): string[] {
  return [
    ...presetsProblems(object.presets, where),
    ...subscriptionsProblems(object.subscriptions, where),
    ...eventMapProblems(object.eventMap, where),
    ...customEventsProblems(object.customEvents, where),
    ...consentProblems(object.consent, where)
  ]
}
