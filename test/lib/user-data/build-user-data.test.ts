import { createHash } from 'node:crypto'
import { buildUserData, HASHED_KEYS } from '../../../src/lib/user-data'
import { referenceUserData } from '../../helpers'

// Computed here with Node's crypto, independently of the code under test.
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

describe('buildUserData', () => {
  it("reproduces the user_data of meta-capi.md §12 from the example's Segment fields (fbc is built by the caller)", () => {
    const { userData, dropped } = buildUserData({
      email: 'John_Smith@Gmail.com',
      phone: '+1 (650) 555-1212',
      first_name: 'Mary',
      last_name: "O'Brien-Smith",
      city: 'Menlo Park',
      state: 'California',
      zip: '94035-1234',
      country: 'United States',
      external_id: 'User-123',
      client_ip_address: '203.0.113.7',
      client_user_agent:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      fbp: 'fb.1.1596403881668.1116446470'
    })

    // The reference request's user_data, hash for hash; fbc is built by the caller from the page URL.
    const { fbc: _fbc, ...expected } = referenceUserData
    expect(userData).toEqual(expected)
    expect(Object.keys(userData)).toEqual(Object.keys(expected))
    expect(dropped).toEqual([])
  })

  it('emits keys in Meta order, hashed keys first, whatever the input order', () => {
    const { userData } = buildUserData({
      fbp: 'fb.1.1.1',
      external_id: 'x',
      country: 'us',
      zip: '94035',
      state: 'ny',
      city: 'Paris',
      date_of_birth: '1997-02-16',
      gender: 'f',
      last_name: 'b',
      first_name: 'a',
      phone: '16505551212',
      email: 'a@b.co',
      client_ip_address: '::1'
    })
    expect(Object.keys(userData)).toEqual([...HASHED_KEYS, 'client_ip_address', 'fbp'])
  })

  it('exports the hashed keys in Meta order', () => {
    expect(HASHED_KEYS).toEqual(['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country', 'external_id'])
  })

  describe('pre-hashed values', () => {
    const emailHash = sha256('john_smith@gmail.com')

    it('passes an uppercase SHA-256 email through lowercased, without hashing it again', () => {
      const { userData } = buildUserData({ email: `  ${emailHash.toUpperCase()} ` })
      expect(userData).toEqual({ em: [emailHash] })
    })

    it('de-duplicates a raw value against the same value given pre-hashed', () => {
      const { userData } = buildUserData({ email: ['John_Smith@Gmail.com', emailHash.toUpperCase()] })
      expect(userData).toEqual({ em: [emailHash] })
    })
  })

  describe('multiple values', () => {
    it('de-duplicates external IDs after normalisation and keeps input order', () => {
      const { userData } = buildUserData({ external_id: ['User-123', ' user-123 ', 'anon-9', 'USER-123'] })
      expect(userData.external_id).toEqual([sha256('user-123'), sha256('anon-9')])
    })

    it('keeps the valid values of an array and reports the invalid ones', () => {
      const { userData, dropped } = buildUserData({ email: ['nope', 'a@b.co', '', 'A@B.CO'] })
      expect(userData).toEqual({ em: [sha256('a@b.co')] })
      expect(dropped).toEqual([
        { key: 'em', reason: 'not an email address' },
        { key: 'em', reason: 'empty' }
      ])
    })

    it('omits a key whose values were all dropped, never sending an empty array or the hash of ""', () => {
      const { userData } = buildUserData({ email: ['', '  '], phone: [], zip: '1', gender: 'nonbinary' })
      expect(userData).toEqual({})
    })

    it('treats undefined and null as absent rather than invalid', () => {
      expect(buildUserData({ email: undefined, phone: null, city: [null, undefined], fbc: null })).toEqual({
        userData: {},
        dropped: []
      })
    })
  })

  describe('dropped values', () => {
    const input = {
      email: 'jane.doe(at)example',
      phone: '555-12',
      first_name: { name: 'Jane' },
      date_of_birth: '02/30/1997',
      gender: 'Nonbinary',
      zip: 'Z',
      country: 'Atlantis',
      fbc: ['fb.1.1.Secret'],
      client_user_agent: true
    }

    it('reports each by Meta key with a reason', () => {
      expect(buildUserData(input)).toEqual({
        userData: {},
        dropped: [
          { key: 'em', reason: 'not an email address' },
          { key: 'ph', reason: 'fewer than 7 digits' },
          { key: 'fn', reason: 'not a string' },
          { key: 'ge', reason: 'not a recognised gender' },
          { key: 'db', reason: 'not a real calendar date' },
          { key: 'zp', reason: 'fewer than 2 characters' },
          { key: 'country', reason: 'not a recognised country' },
          { key: 'client_user_agent', reason: 'not a string or number' },
          { key: 'fbc', reason: 'not a string or number' }
        ]
      })
    })

    it('never repeats the raw value in a reason', () => {
      const reasons = buildUserData(input).dropped.map((entry) => entry.reason.toLowerCase())
      const rawValues = ['jane.doe(at)example', '555-12', 'jane', '02/30/1997', 'nonbinary', 'atlantis', 'secret']
      for (const reason of reasons) {
        for (const raw of rawValues) expect(reason).not.toContain(raw)
      }
    })
  })

  describe('defaultCountryCallingCode', () => {
    it('adds the calling code to a national number after removing its trunk zero', () => {
      const { userData } = buildUserData({ phone: '020 7946 0958' }, { defaultCountryCallingCode: '+44' })
      expect(userData.ph).toEqual([sha256('442079460958')])
    })

    it('leaves numbers written with an international prefix alone', () => {
      const options = { defaultCountryCallingCode: '44' }
      expect(buildUserData({ phone: '+1 (650) 555-1212' }, options).userData.ph).toEqual([sha256('16505551212')])
      expect(buildUserData({ phone: '001 650 555 1212' }, options).userData.ph).toEqual([sha256('16505551212')])
    })

    it('does not add it to a number that already starts with it or is too long to be national', () => {
      const options = { defaultCountryCallingCode: '1' }
      expect(buildUserData({ phone: '1 650 555 1212' }, options).userData.ph).toEqual([sha256('16505551212')])
      expect(buildUserData({ phone: '33123456789' }, options).userData.ph).toEqual([sha256('33123456789')])
    })

    it('sends the digits as they are when no calling code is configured or it is not a calling code', () => {
      expect(buildUserData({ phone: '(650) 555-1212' }).userData.ph).toEqual([sha256('6505551212')])
      const invalid = { defaultCountryCallingCode: 'UK' }
      expect(buildUserData({ phone: '(650) 555-1212' }, invalid).userData.ph).toEqual([sha256('6505551212')])
    })
  })

  describe('unhashed keys', () => {
    it('passes values through trimmed, never hashed and with their case kept', () => {
      const { userData, dropped } = buildUserData({
        fbc: ' fb.1.1554763741205.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk ',
        fbp: 'fb.1.1596403881668.1116446470',
        client_ip_address: '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
        madid: 'AEBE52E7-03EE-455A-B3C4-E57283966239',
        anon_id: '',
        fb_login_id: 1234567890,
        lead_id: '987654321',
        page_id: 42
      })
      expect(userData).toEqual({
        client_ip_address: '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
        fbc: 'fb.1.1554763741205.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk',
        fbp: 'fb.1.1596403881668.1116446470',
        fb_login_id: 1234567890,
        lead_id: '987654321',
        madid: 'AEBE52E7-03EE-455A-B3C4-E57283966239',
        page_id: '42'
      })
      expect(dropped).toEqual([])
    })

    it('does not treat a 64-hex identifier in an unhashed key specially', () => {
      const hex = sha256('x').toUpperCase()
      expect(buildUserData({ subscription_id: hex }).userData).toEqual({ subscription_id: hex })
    })

    it('drops numbers that are not finite', () => {
      expect(buildUserData({ lead_id: Number.NaN }).dropped).toEqual([
        { key: 'lead_id', reason: 'not a finite number' }
      ])
    })
  })

  it('returns nothing, without throwing, for input that is not an object', () => {
    for (const input of [null, undefined, 'email', 42, []]) {
      expect(buildUserData(input as never, null as never)).toEqual({ userData: {}, dropped: [] })
    }
  })
})
