import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { orderCompleted, seededRandom } from './events'

/** Writes `count` generated Order Completed events as JSON Lines, a block at a time: memory stays flat. */
export async function writeEventsFile(path: string, count: number, seed: number, nowMs = Date.now()): Promise<number> {
  const random = seededRandom(seed)
  const out = createWriteStream(path)
  let bytes = 0
  for (let start = 0; start < count; start += 10_000) {
    const lines: string[] = []
    for (let index = start; index < Math.min(count, start + 10_000); index++) {
      lines.push(JSON.stringify(orderCompleted(random, index, nowMs)))
    }
    const block = `${lines.join('\n')}\n`
    bytes += Buffer.byteLength(block)
    if (!out.write(block)) await once(out, 'drain')
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
  return bytes
}
