import { writeFileSync } from 'node:fs'
import { jsonLines, runCli, stopChildren, tempDir, trackEvent } from './support'

// Child processes mapping 20,000 events on a loaded 2-core machine need more than the default 30 s.
jest.setTimeout(240_000)
afterEach(stopChildren)

let dir: ReturnType<typeof tempDir>
beforeEach(() => (dir = tempDir()))
afterEach(() => dir.remove())

const order = {
  order_id: 'o',
  revenue: 25,
  currency: 'USD',
  products: [{ product_id: 'SKU-1', price: 25, quantity: 1 }]
}

/** Input i: a Purchase, an unmapped event (every 7th) or a malformed line (every 13th), told apart in the output. */
function mixedLines(count: number): string[] {
  const timestamp = new Date(Date.now() - 3_600_000).toISOString()
  return Array.from({ length: count }, (_, i) => {
    if (i % 13 === 12) return `{"type":"track","event":"Order Completed","messageId":"m-${i}",`
    const name = i % 7 === 6 ? 'Video Played' : 'Order Completed'
    return JSON.stringify({ ...trackEvent(name, `m-${i}`, order), timestamp })
  })
}

function expectInOrder(stdout: string, count: number) {
  const lines = jsonLines(stdout)
  expect(lines).toHaveLength(count)
  lines.forEach((line, i) => {
    expect(line.index).toBe(i)
    if (i % 13 === 12) expect(line).toEqual({ index: i, status: 400, error: `line ${i + 1} is not valid JSON` })
    else if (i % 7 === 6) expect(line).toEqual({ index: i, skipped: 'no preset matches track "Video Played"' })
    else expect((line.event as { event_id: string }).event_id).toBe(`m-${i}`)
  })
  return lines
}

describe('streamed map', () => {
  it('maps 20,000 inputs in order on worker threads, with the same output as the main thread alone', async () => {
    const file = dir.file('mixed.jsonl')
    writeFileSync(file, `${mixedLines(20_000).join('\n')}\n`)

    const threaded = await runCli(['map', file, '--workers', '2'])
    const single = await runCli(['map', file, '--workers', '0'])

    expect(threaded.code).toBe(1)
    const lines = expectInOrder(threaded.stdout, 20_000)
    const purchases = lines.filter((_line, i) => i % 13 !== 12 && i % 7 !== 6)
    expect(purchases.every((line) => (line.event as { event_name: string }).event_name === 'Purchase')).toBe(true)
    expect(purchases).toHaveLength(15_824)
    expect(single.code).toBe(1)
    expect(single.stdout).toBe(threaded.stdout)
  })

  it('reads JSON Lines and a JSON array, from a file and from stdin, in exact input order', async () => {
    const valid = mixedLines(2_600).filter((_line, i) => i % 13 !== 12)
    const jsonl = `${valid.join('\n')}\n`
    const array = `[\n${valid.join(',\n')}\n]\n`
    const file = dir.file('events.json')
    writeFileSync(file, array)
    const ids = valid.map((line) => (JSON.parse(line) as { messageId: string }).messageId)

    const runs = [
      await runCli(['map', file]),
      await runCli(['map', '-'], { input: array }),
      await runCli(['map'], { input: jsonl })
    ]
    for (const result of runs) {
      expect(result.code).toBe(0)
      const lines = jsonLines(result.stdout)
      expect(lines.map((line) => line.index)).toEqual(ids.map((_id, i) => i))
      lines.forEach((line, i) => {
        if ('event' in line) expect((line.event as { event_id: string }).event_id).toBe(ids[i])
        else expect(line.skipped).toBe('no preset matches track "Video Played"')
      })
    }
    expect(runs[1].stdout).toBe(runs[0].stdout)
    expect(runs[2].stdout).toBe(runs[0].stdout)
  })
})
