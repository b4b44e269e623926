import { createWriteStream, statfsSync } from 'node:fs'
import { once } from 'node:events'
import { dirname } from 'node:path'
import { orderCompleted, seededRandom } from './events'
import type { GeneratorOptions } from './events'

const BLOCK = 10_000
/** Left free on the file system whatever the estimate says, so a run never fills the disk the machine needs. */
const SPARE_BYTES = 2 * 1024 ** 3

/** Refuses, before writing more, a file the file system cannot hold (10,000,000 events are about 11 GB). */
function checkRoom(path: string, bytesSoFar: number, eventsSoFar: number, count: number): void {
  const { bavail, bsize } = statfsSync(dirname(path))
  const needed = (bytesSoFar / eventsSoFar) * (count - eventsSoFar)
  if (needed + SPARE_BYTES > bavail * bsize) {
    throw new Error(
      `${count.toLocaleString('en-US')} events need about ${(needed / 1024 ** 3).toFixed(1)} GiB more in ` +
        `${dirname(path)}, which has ${((bavail * bsize) / 1024 ** 3).toFixed(1)} GiB free (2 GiB kept spare)`
    )
  }
}

/**
 * Writes `count` generated Order Completed events as JSON Lines, a block at a time, waiting for the disk: memory
 * stays flat at any count. Timestamps fall in the 48 hours before `nowMs`.
 */
export async function writeEventsFile(
  path: string,
  count: number,
  seed: number,
  options: GeneratorOptions & { nowMs?: number } = {}
): Promise<number> {
  const nowMs = options.nowMs ?? Date.now()
  const random = seededRandom(seed)
  const out = createWriteStream(path)
  let bytes = 0
  try {
    for (let start = 0; start < count; start += BLOCK) {
      const lines: string[] = []
      for (let index = start; index < Math.min(count, start + BLOCK); index++) {
        lines.push(JSON.stringify(orderCompleted(random, index, nowMs, options)))
      }
      const block = `${lines.join('\n')}\n`
      bytes += Buffer.byteLength(block)
      if (start === 0) checkRoom(path, bytes, lines.length, count)
      if (!out.write(block)) await once(out, 'drain')
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
  }
  return bytes
}
