import {
  MATCH_KEY_WEIGHTS,
  matchEstimate,
  matchQuality,
  matchQualityFromKeys,
  matchRating
} from '../../src/sandbox/match-quality'
import { EM_HASH, PH_HASH } from './fixtures'

describe('match quality estimate', () => {
  it.each([
    [[], 0],
    [['em'], 3],
    [['fbc'], 3],
    [['em', 'ph'], 6],
    [['external_id', 'fbp'], 4],
    [['client_ip_address', 'client_user_agent'], 2],
    [['fn', 'ln', 'ge'], 1.5],
    [['ct', 'st', 'zp', 'country'], 2],
    [['em', 'ph', 'fbc', 'external_id', 'fbp'], 10],
    [['em', 'ph', 'fbc', 'external_id', 'fbp', 'client_ip_address', 'client_user_agent', 'fn'], 10]
  ])('%j scores %d', (keys, score) => {
    expect(matchQualityFromKeys(keys)).toBe(score)
  })

  it('ranks a PageView with a click ID above an email-only event (the old weighting did the opposite)', () => {
    const pageView = matchQuality({
      fbc: 'fb.1.1554763741205.IwAR2F4',
      fbp: 'fb.1.1596403881668.1116446470',
      client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0'
    })
    const emailOnly = matchQuality({ em: EM_HASH })
    expect(pageView).toBe(7)
    expect(emailOnly).toBe(3)
  })

  it("weighs the keys of Meta's too-broad baseline combinations below any single high-priority key", () => {
    // fn+ge, ln+ge, db+client_user_agent: Meta rejects events with only these (v13 baseline rule).
    for (const keys of [
      ['fn', 'ge'],
      ['ln', 'ge'],
      ['db', 'client_user_agent']
    ]) {
      expect(matchQualityFromKeys(keys)).toBeLessThan(MATCH_KEY_WEIGHTS.em)
    }
  })

  it('only counts recognised, present keys', () => {
    expect(matchQuality({ em: EM_HASH, ph: '', fn: null, favourite_colour: 'blue' })).toBe(3)
    expect(matchQuality({ ph: [] })).toBe(0)
    expect(matchQuality('not an object')).toBe(0)
  })

  it.each([
    [0, 'Poor'],
    [3.5, 'Poor'],
    [4, 'OK'],
    [6, 'Good'],
    [7.5, 'Good'],
    [8, 'Great'],
    [10, 'Great']
  ])('score %d is rated %s', (score, rating) => {
    expect(matchRating(score)).toBe(rating)
  })

  it('lists the weight of each key present and the heaviest missing keys first', () => {
    const estimate = matchEstimate({ em: EM_HASH, ph: PH_HASH, client_user_agent: 'UA' }, 'website')
    expect(estimate).toEqual({
      score: 7,
      rating: 'Good',
      keys: [
        { key: 'em', weight: 3 },
        { key: 'ph', weight: 3 },
        { key: 'client_user_agent', weight: 1 }
      ],
      missing: ['fbc', 'external_id', 'fbp', 'client_ip_address']
    })
  })

  it('suggests the mobile advertiser ID only for app events', () => {
    expect(matchEstimate({}, 'app').missing).toContain('madid')
    expect(matchEstimate({}, 'website').missing).not.toContain('madid')
  })
})
