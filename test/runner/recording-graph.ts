import { startSandbox } from '../../src/sandbox'

/**
 * The sandbox, recording every events request body as sent and the most requests it ever held at once. With
 * `holdUntil`, it lets requests through (to be checked and accepted as Meta does) only once that many are in
 * flight (or, to stay live when fewer can come, shortly after the last one arrived), so a sender that could exceed
 * a limit gets every chance to.
 */
export interface RecordingGraph {
  url: string
  bodies: string[]
  maxInFlight: () => number
  close: () => Promise<void>
}

export async function startRecordingGraph(holdUntil = 1): Promise<RecordingGraph> {
  const bodies: string[] = []
  const held: (() => void)[] = []
  let inFlight = 0
  let max = 0
  let timer: NodeJS.Timeout | undefined
  const release = () => {
    for (const letGo of held.splice(0)) letGo()
  }
  const sandbox = await startSandbox({
    keepEvents: false,
    answer: async (request) => {
      inFlight++
      max = Math.max(max, inFlight)
      bodies.push(request.raw ?? '')
      const letThrough = new Promise<void>((resolve) => held.push(resolve))
      if (inFlight >= holdUntil) release()
      else {
        // Liveness only: a sender that keeps to its limit never reaches holdUntil, so answers come a little later.
        clearTimeout(timer)
        timer = setTimeout(release, 30)
      }
      await letThrough
      inFlight--
      return undefined
    }
  })
  return {
    url: sandbox.url,
    bodies,
    maxInFlight: () => max,
    close: () => {
      clearTimeout(timer)
      return sandbox.close()
    }
  }
}
