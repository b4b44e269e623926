import fc from 'fast-check'
import {
  buildUserData,
  HASHED_KEYS,
  hashNormalised,
  Normaliser,
  normaliseCity,
  normaliseCountry,
  normaliseDateOfBirth,
  normaliseEmail,
  normaliseExternalId,
  normaliseGender,
  normaliseName,
  normalisePhone,
  normaliseState,
  normaliseZip,
  UNHASHED_KEYS,
  UserDataInput
} from '../../../src/lib/user-data'

const NORMALISERS: [string, Normaliser][] = [
  ['email', normaliseEmail],
  ['phone', normalisePhone],
  ['phone with a default calling code', (raw) => normalisePhone(raw, { defaultCountryCallingCode: '44' })],
  ['name', normaliseName],
  ['date of birth', normaliseDateOfBirth],
  ['gender', normaliseGender],
  ['city', normaliseCity],
  ['state', normaliseState],
  ['zip', normaliseZip],
  ['country', normaliseCountry],
  ['external id', normaliseExternalId]
]

const INPUT_KEYS: (keyof UserDataInput)[] = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'date_of_birth',
  'gender',
  'city',
  'state',
  'zip',
  'country',
  'external_id',
  ...UNHASHED_KEYS
]

const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.stringMatching(/^[ +0-9()./-]{0,20}$/),
  fc.stringMatching(/^[a-zA-Z0-9._+-]{1,10}@[a-zA-Z0-9.-]{1,10}$/)
)
const anyValue = fc.oneof(fc.anything(), anyText, fc.integer(), fc.double(), fc.array(anyText, { maxLength: 4 }))
const sha256Hex = fc
  .tuple(fc.stringMatching(/^\s{0,2}$/), fc.stringMatching(/^[0-9a-fA-F]{64}$/), fc.stringMatching(/^\s{0,2}$/))
  .map(([before, hex, after]) => `${before}${hex}${after}`)
const userDataInput = fc.record(Object.fromEntries(INPUT_KEYS.map((key) => [key, anyValue])), { requiredKeys: [] })
const HEX_64 = /^[a-f0-9]{64}$/

describe.each(NORMALISERS)('%s normaliser', (_, normalise) => {
  it('never throws and always returns a string value or a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), anyText), (raw) => {
        const result = normalise(raw)
        expect(typeof ('value' in result ? result.value : result.dropped)).toBe('string')
      })
    )
  })

  it('never repeats the raw value in a reason', () => {
    const MARKER = 'Qx7secret'
    fc.assert(
      fc.property(anyText, anyText, (before, after) => {
        const result = normalise(`${before}${MARKER}${after}`)
        if ('dropped' in result) expect(result.dropped.toLowerCase()).not.toContain(MARKER.toLowerCase())
      })
    )
  })

  it('passes a SHA-256 digest through lowercased when hashing', () => {
    fc.assert(
      fc.property(sha256Hex, (hex) => {
        expect(hashNormalised(hex, normalise)).toEqual({ value: hex.trim().toLowerCase() })
      })
    )
  })

  it('hashes every kept value to 64 lowercase hex', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), anyText), (raw) => {
        const result = hashNormalised(raw, normalise)
        if ('value' in result) expect(result.value).toMatch(HEX_64)
      })
    )
  })
})

describe('buildUserData properties', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (input, options) => {
        buildUserData(input as UserDataInput, options as never)
      })
    )
  })

  it('sends hashed keys only as non-empty arrays of distinct 64 lowercase hex strings', () => {
    fc.assert(
      fc.property(userDataInput, (input) => {
        const { userData } = buildUserData(input, { defaultCountryCallingCode: '1' })
        for (const key of HASHED_KEYS) {
          const hashes = (userData as Record<string, unknown>)[key]
          if (hashes === undefined) continue
          expect(Array.isArray(hashes)).toBe(true)
          const list = hashes as string[]
          expect(list.length).toBeGreaterThan(0)
          expect(new Set(list).size).toBe(list.length)
          for (const hash of list) expect(hash).toMatch(HEX_64)
        }
      })
    )
  })

  it('never returns an empty array or an empty string for any key', () => {
    fc.assert(
      fc.property(userDataInput, (input) => {
        for (const value of Object.values(buildUserData(input).userData)) {
          expect(value).not.toEqual([])
          expect(value).not.toBe('')
        }
      })
    )
  })

  it('keeps a pre-hashed value, lowercased, for every hashed key', () => {
    fc.assert(
      fc.property(sha256Hex, (hex) => {
        const input = Object.fromEntries(INPUT_KEYS.slice(0, HASHED_KEYS.length).map((key) => [key, hex]))
        const { userData } = buildUserData(input)
        expect(Object.values(userData)).toEqual(HASHED_KEYS.map(() => [hex.trim().toLowerCase()]))
      })
    )
  })
})
