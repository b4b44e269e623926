/**
 * The suite's Meta: the embedded sandbox, which checks every request as Meta does, recording the body of each events
 * request and answering instead what the fixture says Meta answers, when it says. Its clock is Date.now read at each
 * request, so a fixture's frozen time is the sandbox's too.
 */
import { startSandbox } from '../sandbox'
import type { MetaResponse } from './fixture'

export interface RecordingGraph {
  /** The Graph base URL the engine is given, e.g. http://127.0.0.1:40123 */
  url: string
  /** The parsed body of every events request since the last reset, in arrival order. */
  bodies: unknown[]
  /** Forget the recorded bodies and answer `response` from now on (the sandbox's own answer when undefined). */
  reset(response?: MetaResponse): void
  close(): Promise<void>
}

export async function startRecordingGraph(): Promise<RecordingGraph> {
  const bodies: unknown[] = []
  let scripted: MetaResponse | undefined
  const sandbox = await startSandbox({
    now: () => Date.now(),
    // The bodies are kept here; the sandbox need not keep the events too.
    keepEvents: false,
    answer: (request) => {
      if (request.method === 'POST') bodies.push(request.body)
      return scripted
    }
  })
  return {
    url: sandbox.url,
    bodies,
    reset(response) {
      bodies.length = 0
      scripted = response
    },
    close: () => sandbox.close()
  }
}
