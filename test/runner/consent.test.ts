import type { SegmentEvent } from '@segment/actions-core'
import { applyConsent, consentDecision, DEFAULT_CONSENT_POLICY } from '../../src/runner/consent'

const track = (context: Record<string, unknown>) =>
  ({ type: 'track', event: 'Order Completed', context }) as SegmentEvent

describe('consentDecision', () => {
  it.each([
    ['Segment, granted', { consent: { categoryPreferences: { Advertising: true } } }, { kind: 'granted' }],
    ['Segment, case differs', { consent: { categoryPreferences: { advertising: true } } }, { kind: 'granted' }],
    [
      'Segment, one needed category denied',
      { consent: { categoryPreferences: { Advertising: true, Marketing: false } } },
      { kind: 'denied', category: 'Marketing', where: 'context.consent.categoryPreferences' }
    ],
    ['Segment, only other categories', { consent: { categoryPreferences: { Analytics: false } } }, { kind: 'absent' }],
    ['Segment, not booleans', { consent: { categoryPreferences: { Advertising: 'no' } } }, { kind: 'absent' }],
    ['RudderStack, allowed', { consentManagement: { allowedConsentIds: ['C0004'] } }, { kind: 'granted' }],
    [
      'RudderStack, denied',
      { consentManagement: { allowedConsentIds: ['C0001'], deniedConsentIds: ['c0004'] } },
      { kind: 'denied', category: 'C0004', where: 'context.consentManagement.deniedConsentIds' }
    ],
    ['RudderStack, malformed', { consentManagement: { deniedConsentIds: 'C0004' } }, { kind: 'absent' }],
    ['nothing', {}, { kind: 'absent' }]
  ])('%s', (_label, context, expected) => {
    expect(consentDecision(track(context), DEFAULT_CONSENT_POLICY.categories)).toEqual(expected)
  })
})

describe('applyConsent', () => {
  const denied = track({ consent: { categoryPreferences: { Advertising: false } } })

  it('skips a denied event by default, saying which category and where', () => {
    expect(applyConsent(denied, DEFAULT_CONSENT_POLICY)).toEqual({
      send: false,
      skipped: 'consent denied for "Advertising" (context.consent.categoryPreferences)'
    })
  })

  it('sends a denied event with Limited Data Use when so configured', () => {
    expect(applyConsent(denied, { ...DEFAULT_CONSENT_POLICY, onDenied: 'limitedDataUse' })).toEqual({
      send: true,
      limitedDataUse: true
    })
  })

  it('sends events without a decision unless consent is required', () => {
    expect(applyConsent(track({}), DEFAULT_CONSENT_POLICY)).toEqual({ send: true, limitedDataUse: false })
    expect(applyConsent(track({}), { ...DEFAULT_CONSENT_POLICY, categories: ['Ads'], requireConsent: true })).toEqual({
      send: false,
      skipped: 'no consent decision for Ads and consent is required'
    })
  })
})
