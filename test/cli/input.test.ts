import { parseInputs } from '../../src/cli/input'

describe('parseInputs', () => {
  it('reads JSON Lines, skipping blank lines, with a non-JSON line as an error of its own', () => {
    expect(parseInputs('{"a":1}\n\n  \nnope\r\n{"b":2}\n')).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: false, error: 'line 4 is not valid JSON' },
      { ok: true, value: { b: 2 } }
    ])
  })

  it('reads a JSON array, even pretty-printed, and a single pretty-printed object', () => {
    expect(parseInputs('[\n  {"a": 1},\n  {"b": 2}\n]\n')).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: true, value: { b: 2 } }
    ])
    expect(parseInputs('{\n  "a": 1\n}\n')).toEqual([{ ok: true, value: { a: 1 } }])
    expect(parseInputs('\n')).toEqual([])
  })

  it('rejects a broken JSON array as a whole', () => {
    expect(() => parseInputs('[\n  {"a": 1},\n')).toThrow('starts like a JSON array but is not valid JSON')
  })
})
