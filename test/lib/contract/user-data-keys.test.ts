import { USER_DATA_KEYS, userDataLabel } from '../../../src/lib/contract/user-data-keys'

describe('the user_data labels', () => {
  it("give each key Meta's name for it, as Events Manager shows it", () => {
    expect(userDataLabel('em')).toBe('Email')
    expect(userDataLabel('ph')).toBe('Phone Number')
    expect(userDataLabel('db')).toBe('Date of Birth')
    expect(userDataLabel('client_ip_address')).toBe('Client IP Address')
    expect(userDataLabel('fbc')).toBe('Click ID (fbc)')
    expect(userDataLabel('ig_sid')).toBe('Instagram-Scoped User ID')
  })

  it('fall back to the key itself for a key the table does not hold', () => {
    expect(userDataLabel('nickname')).toBe('nickname')
  })

  it('are distinct, so no two keys read alike on the page', () => {
    const labels = USER_DATA_KEYS.map((entry) => entry.label)
    expect(new Set(labels).size).toBe(labels.length)
  })
})
