import {
  normaliseDateOfBirth,
  normaliseEmail,
  normaliseExternalId,
  normalisePhone,
  normaliseZip
} from '../../../src/lib/user-data'

// The golden vectors cover the rules; these cover the input types the rules are not about.
describe('normalisers given values that are not strings', () => {
  it.each([
    ['an object', { email: 'a@b.co' }],
    ['an array', ['a@b.co']],
    ['a boolean', true],
    ['null', null]
  ])('drop %s as not a string', (_, raw) => {
    expect(normaliseEmail(raw)).toEqual({ dropped: 'not a string' })
  })

  it('accept whole numbers only where a number is a sensible way to write the value', () => {
    expect(normalisePhone(442079460958)).toEqual({ value: '442079460958' })
    expect(normaliseZip(94035)).toEqual({ value: '94035' })
    expect(normaliseExternalId(123)).toEqual({ value: '123' })
    expect(normaliseEmail(123)).toEqual({ dropped: 'not a string' })
    expect(normaliseDateOfBirth(19970216)).toEqual({ dropped: 'not a string' })
  })

  it('drop numbers that have already lost digits', () => {
    expect(normalisePhone(16505551212.5)).toEqual({ dropped: 'not a whole number' })
    expect(normaliseExternalId(2 ** 60)).toEqual({ dropped: 'not a whole number' })
    expect(normaliseZip(Number.NaN)).toEqual({ dropped: 'not a whole number' })
  })
})

describe('normaliseDateOfBirth', () => {
  it('accepts this year and rejects next year', () => {
    const year = new Date().getUTCFullYear()
    expect(normaliseDateOfBirth(`${year}-01-01`)).toEqual({ value: `${year}0101` })
    expect(normaliseDateOfBirth(`${year + 1}-01-01`)).toEqual({ dropped: 'year out of range' })
  })
})
