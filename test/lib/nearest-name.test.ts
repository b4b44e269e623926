import { editDistance, nearestName } from '../../src/lib/nearest-name'

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['accesstoken', 'accesstoken', 0],
    ['flaw', 'lawn', 2],
    ['emial', 'email', 1]
  ])('%s → %s is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance)
    expect(editDistance(b, a)).toBe(distance)
  })
})

describe('nearestName', () => {
  const known = ['pixelId', 'accessToken', 'testEventCode', 'apiVersion', 'sources']

  it('sees through case, underscores and dashes, and small typos', () => {
    expect(nearestName('access_token', known)).toBe('accessToken')
    expect(nearestName('ACCESS-TOKEN', known)).toBe('accessToken')
    expect(nearestName('pixelID', known)).toBe('pixelId')
    expect(nearestName('acessToken', known)).toBe('accessToken')
    expect(nearestName('source', known)).toBe('sources')
  })

  it('suggests nothing for a name that is not close to any', () => {
    expect(nearestName('color', known)).toBeUndefined()
    expect(nearestName('x'.repeat(500), known)).toBeUndefined()
    expect(nearestName('pixelId', [])).toBeUndefined()
  })
})
