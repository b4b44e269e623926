import { readInputs } from '../../src/cli/input'
import { parsedInputs } from '../../src/runner/chunk'
import type { ChunkInputs } from '../../src/runner/chunk'

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
  for await (const chunk of readInputs(pieces(text, cuts))) inputs.push(...parsedInputs(chunk))
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
      for await (const chunk of readInputs(bufferPieces(bytes, cut))) inputs.push(...parsedInputs(chunk))
      expect(inputs).toEqual(whole)
    }
  })

  it('rejects a broken JSON array, after handing on the elements before the break', async () => {
    const seen: ChunkInputs[] = []
    const reading = (async () => {
      for await (const chunk of readInputs(pieces('[\n  {"a": 1},\n', [12]))) seen.push(chunk)
    })()
    await expect(reading).rejects.toThrow('starts like a JSON array but is not valid JSON')
    expect(seen).toEqual([{ values: [{ a: 1 }] }])
    await expect(parsed('[{"a": 1}] {"b": 2}')).rejects.toThrow('starts like a JSON array but is not valid JSON')
  })

  describe('chunks', () => {
    async function chunksOf(input: string | Buffer, limits: { inputs: number; bytes: number }, pieceBytes = 7) {
      const bytes = Buffer.from(input)
      async function* small(): AsyncGenerator<Buffer> {
        for (let at = 0; at < bytes.length; at += pieceBytes) yield bytes.subarray(at, at + pieceBytes)
      }
      const chunks: ChunkInputs[] = []
      for await (const chunk of readInputs(small(), limits)) chunks.push(chunk)
      return chunks
    }
    const linesOf = (chunk: ChunkInputs) => {
      if (!('lines' in chunk)) throw new Error('not JSON Lines')
      return { text: Buffer.from(chunk.lines.bytes).toString(), lineNumbers: [...chunk.lines.lineNumbers] }
    }

    it('cuts JSON Lines at the input limit, numbering lines across blank lines, "\\r\\n" ends and chunks', async () => {
      const text = '{"a":1}\r\n\n{"a":2}\n  \n{"a":3}\r\n{"a":4}\n\n{"a":5}'
      const chunks = await chunksOf(text, { inputs: 2, bytes: 1000 })
      expect(chunks.map(linesOf)).toEqual([
        { text: '{"a":1}\n{"a":2}', lineNumbers: [1, 3] },
        { text: '{"a":3}\n{"a":4}', lineNumbers: [5, 6] },
        { text: '{"a":5}', lineNumbers: [8] }
      ])
      // Each chunk has buffers of its own, as a transfer to a worker needs.
      const buffers = chunks.flatMap((chunk) => ('lines' in chunk ? [chunk.lines.bytes.buffer] : []))
      expect(new Set(buffers).size).toBe(3)
    })

    it('closes a chunk once it reaches the byte limit; a line longer than the limit is a chunk of its own', async () => {
      const long = `{"a":"${'x'.repeat(100)}"}`
      const chunks = await chunksOf(`{"a":1}\n{"a":2}\n${long}\n{"a":3}\n`, { inputs: 1000, bytes: 12 })
      expect(chunks.map((chunk) => linesOf(chunk).lineNumbers)).toEqual([[1, 2], [3], [4]])
      expect(linesOf(chunks[1]).text).toBe(long)
    })

    it('reads a line cut by many reads whole', async () => {
      const long = JSON.stringify({ name: 'é'.repeat(5000) })
      const chunks = await chunksOf(`${long}\n{"b":1}`, { inputs: 1000, bytes: 1 << 20 }, 3)
      const inputs = chunks.flatMap((chunk) => [...parsedInputs(chunk)])
      expect(inputs).toEqual([
        { ok: true, value: { name: 'é'.repeat(5000) } },
        { ok: true, value: { b: 1 } }
      ])
    })

    it('ignores a byte order mark at the start of the input or of any line; a line of one alone is blank', async () => {
      const bom = '\ufeff'
      const chunks = await chunksOf(`${bom}{"a":1}\n${bom}\n${bom}{"b":2}\n`, { inputs: 1, bytes: 1000 })
      const inputs = chunks.flatMap((chunk) => [...parsedInputs(chunk)])
      expect(inputs).toEqual([
        { ok: true, value: { a: 1 } },
        { ok: true, value: { b: 2 } }
      ])
    })

    it('cuts a JSON array into chunks of the input limit, and hands on what precedes a break before the error', async () => {
      const whole = await chunksOf(`[${[1, 2, 3, 4, 5].map((a) => `{"a":${a}}`).join(',')}]`, { inputs: 2, bytes: 1 })
      expect(whole).toEqual([
        { values: [{ a: 1 }, { a: 2 }] },
        { values: [{ a: 3 }, { a: 4 }] },
        { values: [{ a: 5 }] }
      ])
      const seen: ChunkInputs[] = []
      const broken = Buffer.from('[{"a":1},{"a":2},{"a":3} nope')
      const reading = (async () => {
        for await (const chunk of readInputs(pieces(broken.toString()), { inputs: 2, bytes: 1 })) seen.push(chunk)
      })()
      await expect(reading).rejects.toThrow('starts like a JSON array but is not valid JSON')
      expect(seen).toEqual([{ values: [{ a: 1 }, { a: 2 }] }, { values: [{ a: 3 }] }])
    })
  })
})
