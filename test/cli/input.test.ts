import { readInputs } from '../../src/cli/input'
import { parseRawInput } from '../../src/runner/chunk'

/** The text in pieces cut at the given offsets, as a stream delivers it. */
async function* pieces(text: string, cuts: number[] = []): AsyncGenerator<string> {
  let from = 0
  for (const cut of [...cuts, text.length]) {
    yield text.slice(from, cut)
    from = cut
  }
}

async function* bufferPieces(bytes: Buffer, cut: number): AsyncGenerator<Buffer> {
  yield bytes.subarray(0, cut)
  yield bytes.subarray(cut)
}

async function parsed(text: string, cuts: number[] = []) {
  const inputs = []
  for await (const batch of readInputs(pieces(text, cuts))) inputs.push(...batch.map(parseRawInput))
  return inputs
}

describe('readInputs', () => {
  const jsonLines = '{"a":1}\n\n  \nnope\r\n{"b":2}\n'
  const array = '[\n  {"a": 1},\n  {"b": "x,]}"}\n]\n'

  it('reads JSON Lines, skipping blank lines, with a non-JSON line as an error of its own', async () => {
    expect(await parsed(jsonLines)).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: false, error: 'line 4 is not valid JSON' },
      { ok: true, value: { b: 2 } }
    ])
  })

  it('reads a JSON array, even pretty-printed, and pretty-printed objects one after another', async () => {
    expect(await parsed(array)).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: true, value: { b: 'x,]}' } }
    ])
    expect(await parsed('{\n  "a": 1\n}\n')).toEqual([{ ok: true, value: { a: 1 } }])
    expect(await parsed('{\n  "a": 1\n}\n{\n  "b": 2\n}\n')).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: true, value: { b: 2 } }
    ])
    expect(await parsed('\n')).toEqual([])
    expect(await parsed('')).toEqual([])
  })

  it('reads the same inputs wherever the stream cuts the text: mid-line, mid-token, mid-character', async () => {
    const multiByte = '{"name":"Zoë 🛒"}\n{"b":2}'
    for (const text of [jsonLines, array, multiByte]) {
      const whole = await parsed(text)
      for (let cut = 1; cut < text.length; cut++) expect(await parsed(text, [cut])).toEqual(whole)
    }
  })

  it('reads the same inputs wherever a read cuts the bytes, inside a UTF-8 character too', async () => {
    const text = '{"name":"Zoë 🛒"}\r\n\u00a0\n{"b":"é"}\n[1]'
    const bytes = Buffer.from(text)
    const whole = await parsed(text)
    expect(whole).toEqual([
      { ok: true, value: { name: 'Zoë 🛒' } },
      { ok: true, value: { b: 'é' } },
      { ok: true, value: [1] }
    ])
    for (let cut = 1; cut < bytes.length; cut++) {
      const inputs = []
      for await (const batch of readInputs(bufferPieces(bytes, cut))) inputs.push(...batch.map(parseRawInput))
      expect(inputs).toEqual(whole)
    }
  })

  it('rejects a broken JSON array, after handing on the elements before the break', async () => {
    const seen: unknown[] = []
    const reading = (async () => {
      for await (const batch of readInputs(pieces('[\n  {"a": 1},\n', [12]))) seen.push(...batch)
    })()
    await expect(reading).rejects.toThrow('starts like a JSON array but is not valid JSON')
    expect(seen).toEqual([{ value: { a: 1 } }])
    await expect(parsed('[{"a": 1}] {"b": 2}')).rejects.toThrow('starts like a JSON array but is not valid JSON')
  })
})
