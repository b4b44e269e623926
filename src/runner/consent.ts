import type { SegmentEvent } from '@segment/actions-core'
import { isRecord } from '../lib/is-record'

/** What a denial of consent does to an event: not sent (default), or sent flagged for Meta's Limited Data Use. */
export type ConsentDenialAction = 'skip' | 'limitedDataUse'

export interface ConsentPolicy {
  /**
   * The consent categories (Segment) or consent IDs (RudderStack) this destination needs, compared without regard
   * to case. An event that denies any of them is not sent as is.
   */
  categories: string[]
  onDenied: ConsentDenialAction
  /** When true, an event that carries no decision about any of the categories is not sent either. */
  requireConsent: boolean
}

/**
 * Meta is an advertising destination: Segment's consent categories for it are usually "Advertising" or
 * "Marketing"; "Targeting" and C0004 are OneTrust's Targeting Cookies group, the usual RudderStack consent ID.
 */
export const DEFAULT_CONSENT_POLICY: Readonly<ConsentPolicy> = Object.freeze({
  categories: ['Advertising', 'Marketing', 'Targeting', 'C0004'],
  onDenied: 'skip',
  requireConsent: false
})

export type ConsentDecision =
  { kind: 'granted' } | { kind: 'absent' } | { kind: 'denied'; category: string; where: string }

/** Category → granted, from every consent shape the event carries (names lowercased). */
function decisionsOf(event: SegmentEvent): Map<string, { granted: boolean; where: string }> {
  const decisions = new Map<string, { granted: boolean; where: string }>()
  const context = (event as { context?: unknown }).context
  if (!isRecord(context)) return decisions
  const segment = isRecord(context.consent) ? context.consent.categoryPreferences : undefined
  if (isRecord(segment)) {
    for (const [category, value] of Object.entries(segment)) {
      if (typeof value === 'boolean') {
        decisions.set(category.toLowerCase(), { granted: value, where: 'context.consent.categoryPreferences' })
      }
    }
  }
  const rudder = context.consentManagement
  if (isRecord(rudder)) {
    for (const [key, granted] of [
      ['allowedConsentIds', true],
      ['deniedConsentIds', false]
    ] as const) {
      const ids = rudder[key]
      if (!Array.isArray(ids)) continue
      for (const id of ids) {
        if (typeof id === 'string')
          decisions.set(id.toLowerCase(), { granted, where: `context.consentManagement.${key}` })
      }
    }
  }
  return decisions
}

/**
 * The event's consent for this destination: denied when it denies any needed category, granted when it grants at
 * least one and denies none, absent when it says nothing about them.
 */
export function consentDecision(event: SegmentEvent, categories: readonly string[]): ConsentDecision {
  const decisions = decisionsOf(event)
  let granted = false
  for (const category of categories) {
    const decision = decisions.get(category.toLowerCase())
    if (!decision) continue
    if (!decision.granted) return { kind: 'denied', category, where: decision.where }
    granted = true
  }
  return granted ? { kind: 'granted' } : { kind: 'absent' }
}

export type ConsentOutcome = { send: true; limitedDataUse: boolean } | { send: false; skipped: string }

/** What the runner does with an event under a consent policy. A skip is never an error and never retried. */
export function applyConsent(event: SegmentEvent, policy: ConsentPolicy): ConsentOutcome {
  const decision = consentDecision(event, policy.categories)
  if (decision.kind === 'granted') return { send: true, limitedDataUse: false }
  if (decision.kind === 'absent') {
    return policy.requireConsent
      ? { send: false, skipped: `no consent decision for ${policy.categories.join(', ')} and consent is required` }
      : { send: true, limitedDataUse: false }
  }
  if (policy.onDenied === 'limitedDataUse') return { send: true, limitedDataUse: true }
  return { send: false, skipped: `consent denied for "${decision.category}" (${decision.where})` }
}
