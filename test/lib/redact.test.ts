import fc from 'fast-check'
import { redactSecrets, scrubSecrets } from '../../src/lib/redact'

describe('redactSecrets', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redactSecrets('a TOKEN b TOKEN c PROOF', ['TOKEN', 'PROOF'])).toBe('a [redacted] b [redacted] c [redacted]')
  })

  it('replaces the longer of two overlapping secrets whole', () => {
    expect(redactSecrets('key=abc123', ['abc', 'abc123'])).toBe('key=[redacted]')
  })

  it('ignores empty secrets and a missing list', () => {
    expect(redactSecrets('unchanged', ['', undefined as unknown as string])).toBe('unchanged')
    expect(redactSecrets('unchanged')).toBe('unchanged')
  })

  it('also replaces the URL-encoded form of a secret', () => {
    expect(redactSecrets('token=a%2Fb%3D', ['a/b='])).toBe('token=[redacted]')
  })

  it('leaves a short token inside an ordinary word alone (issue 13: "index" became "inde[redacted]")', () => {
    expect(redactSecrets('{"index":0,"status":400,"error":"bad"}', ['x'])).toBe(
      '{"index":0,"status":400,"error":"bad"}'
    )
    expect(redactSecrets('the tax explains xx and x1', ['x'])).toBe('the tax explains xx and x1')
    expect(redactSecrets('{"messageId":"msg-x","key":"x_ray"}', ['x'])).toBe('{"messageId":"msg-x","key":"x_ray"}')
    expect(redactSecrets('événement xé', ['x'])).toBe('événement xé')
  })

  it('still finds a short token wherever it stands whole', () => {
    expect(redactSecrets('x', ['x'])).toBe('[redacted]')
    expect(redactSecrets('{"accessToken":"x"}', ['x'])).toBe('{"accessToken":"[redacted]"}')
    expect(redactSecrets('GET /v26.0/1?access_token=x&fields=id', ['x'])).toBe(
      'GET /v26.0/1?access_token=[redacted]&fields=id'
    )
    expect(redactSecrets('Authorization: Bearer x', ['x'])).toBe('Authorization: Bearer [redacted]')
    expect(redactSecrets("token 'x'.", ['x'])).toBe("token '[redacted]'.")
    expect(redactSecrets('end of sentence x.', ['x'])).toBe('end of sentence [redacted].')
  })

  it('finds a whole token at the start and end of the text and between punctuation', () => {
    const token = 'EAAB-test-token-never-printed'
    expect(redactSecrets(`${token} rejected: (${token})`, [token])).toBe('[redacted] rejected: ([redacted])')
    expect(redactSecrets(`https://h/${token}/x`, [token])).toBe('https://h/[redacted]/x')
  })

  it('does not redact a token that is only the start of a longer one, and leaves that to the safety net', () => {
    expect(redactSecrets('abc123 abc', ['abc'])).toBe('abc123 [redacted]')
  })

  it('treats an edge that is not a word character as whole whatever touches it', () => {
    expect(redactSecrets('k=tok==more', ['tok=='])).toBe('k=[redacted]more')
    expect(redactSecrets('k=atok==', ['tok=='])).toBe('k=atok==')
  })

  it('redacts a secret that contains the redaction marker text once, without nesting', () => {
    expect(redactSecrets('a redacted b', ['redacted'])).toBe('a [redacted] b')
  })

  it('never leaves a whole secret in the output and never alters text that has no whole secret', () => {
    const seed = Date.now()
    console.log(`redact property seed: ${seed}`)
    const word = fc.stringMatching(/^[A-Za-z0-9]{1,6}$/)
    const separator = fc.constantFrom(' ', '"', '=', '&', '/', ':', ',', '.', '-', '_', '\n', '')
    fc.assert(
      fc.property(word, fc.array(fc.tuple(word, separator), { maxLength: 12 }), (secret, pieces) => {
        const text = pieces.map(([piece, sep]) => piece + sep).join('')
        const redacted = redactSecrets(text, [secret])
        const tokens = (value: string) => value.split(/[^\w[\]-]+/).filter(Boolean)
        expect(tokens(redacted)).not.toContain(secret)
        if (!tokens(text).includes(secret)) expect(redacted).toBe(text)
      }),
      { numRuns: 300, seed }
    )
  })
})

describe('scrubSecrets', () => {
  it('also hides token-shaped text nobody listed', () => {
    expect(scrubSecrets('?access_token=abc&x=1 Bearer zzz EAAGm0PX4ZCpsBAabcdefghijklmnopqrstuv')).toBe(
      '?access_token=[redacted]&x=1 Bearer [redacted] [redacted]'
    )
  })
})
