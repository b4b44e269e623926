import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A fake Graph API on 127.0.0.1 that records every request body and the most requests it ever held at once. With
 * `holdUntil`, it answers only once that many requests are in flight (or, to stay live when fewer can come, on the
 * shortly after the last one arrived), so a sender that could exceed a limit gets every chance to.
 */
export interface RecordingGraph {
  url: string
  bodies: string[]
  maxInFlight: () => number
  close: () => Promise<void>
}

export async function startRecordingGraph(holdUntil = 1): Promise<RecordingGraph> {
  const bodies: string[] = []
  const held: ServerResponse[] = []
  let inFlight = 0
  let max = 0
  let timer: NodeJS.Timeout | undefined
  const answer = (response: ServerResponse, count: number) => {
    inFlight--
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ events_received: count, fbtrace_id: 'RECORDED' }))
  }
  const release = () => {
    for (const response of held.splice(0)) answer(response, (response as ServerResponse & { count: number }).count)
  }
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = ''
    request.setEncoding('utf8').on('data', (text: string) => (body += text))
    request.on('end', () => {
      inFlight++
      max = Math.max(max, inFlight)
      bodies.push(body)
      const count = (JSON.parse(body) as { data: unknown[] }).data.length
      held.push(Object.assign(response, { count }))
      if (inFlight >= holdUntil) release()
      else {
        // Liveness only: a sender that keeps to its limit never reaches holdUntil, so answers come a little later.
        clearTimeout(timer)
        timer = setTimeout(release, 30)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    maxInFlight: () => max,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
