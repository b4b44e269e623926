/**
 * Fuzzing the runner: arbitrary inputs and damaged Segment and Amplitude events through Engine.map (dry run) and
 * Engine.send against the sandbox (recording, as the conformance suite runs it), answering as Meta does or with any
 * Meta error.
 * Properties: exactly one well-formed result per input, no framework crash turned into a batch-wide 500, hashed
 * keys only ever hold SHA-256 hex, and no error text carries the seeded personal data.
 */
import { isIP } from 'node:net'
import fc from 'fast-check'
import { startRecordingGraph, type RecordingGraph } from '../../src/conformance/graph'
import type { MetaResponse } from '../../src/conformance/fixture'
import { serverEventOf } from '../../src/lib/capi-event'
import { Engine } from '../../src/runner/engine'
import type { EventResult } from '../../src/runner/engine'
import type { InputSource } from '../../src/runner/input'
import { amplitudeSeeds, anyInput, piiIn, segmentSeeds } from './arbitraries'
import { fuzzParameters } from './parameters'

const settings = {
  pixelId: '123456789012345',
  accessToken: 'EAAB-fuzz-token-never-printed',
  partnerAgent: 'fuzz-agent',
  apiVersion: 'v26.0',
  defaultActionSource: 'website'
}
const HASHED_KEYS = ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country', 'external_id']
const SHA256_HEX = /^[a-f0-9]{64}$/

const now = Date.now()
const inputs = fc.array(anyInput([...segmentSeeds(now), ...amplitudeSeeds(now)]), { minLength: 1, maxLength: 12 })
const source = fc.constantFrom<InputSource>('auto', 'segment', 'amplitude')
// Engines are built once: building one per run (routes, FQL, a Destination) was most of a run's time.
const eventMaps: Record<string, string>[] = [{}, { 'Order Completed': 'Lead', 'Demo Booked': 'Schedule' }]
const mapEngines = eventMaps.map((amplitudeEventMap) => new Engine({ settings, amplitudeEventMap }))
const mapEngine = fc.constantFrom(...mapEngines)

/** Hashed keys must hold only SHA-256 hex; client_ip_address must be an IP address (Meta's rule, §5). */
function userDataProblem(userData: Record<string, unknown>): string | undefined {
  for (const key of HASHED_KEYS) {
    const values = userData[key]
    if (values !== undefined && (!Array.isArray(values) || !values.every((value) => SHA256_HEX.test(value)))) {
      return `user_data.${key} is not a list of SHA-256 hashes: ${JSON.stringify(values).slice(0, 200)}`
    }
  }
  const ip = userData.client_ip_address
  if (ip !== undefined && isIP(String(ip)) === 0) return `client_ip_address is not an IP: ${String(ip).slice(0, 80)}`
  return undefined
}

/** Why a result breaks the contract, or undefined. */
function resultProblem(result: EventResult | undefined, index: number): string | undefined {
  if (!result) return `input ${index} has no result`
  if (result.index !== index) return `result ${index} carries index ${result.index}`
  if ('skipped' in result)
    return typeof result.skipped === 'string' ? undefined : `result ${index}: skipped is not text`
  if ('event' in result) {
    if ((result.status as number) !== 200) return `result ${index}: an event with status ${String(result.status)}`
    const problem = userDataProblem(serverEventOf(result.event).user_data as unknown as Record<string, unknown>)
    return problem && `result ${index}: ${problem}`
  }
  if (typeof result.status !== 'number' || result.status < 400) return `result ${index}: error status ${result.status}`
  if (typeof result.error !== 'string' || typeof result.retryable !== 'boolean') return `result ${index}: malformed`
  if (result.retryable !== (result.status === 429 || result.status >= 500)) {
    return `result ${index}: retryable ${result.retryable} with status ${result.status}`
  }
  if (result.error.startsWith('the destination failed')) return `result ${index}: framework crash: ${result.error}`
  const leaked = piiIn(result.error)
  return leaked ? `result ${index} leaks "${leaked}": ${result.error.slice(0, 200)}` : undefined
}

function check(results: EventResult[], count: number): void {
  if (results.length !== count) throw new Error(`${results.length} results for ${count} inputs`)
  for (let index = 0; index < count; index++) {
    const problem = resultProblem(results[index], index)
    if (problem) throw new Error(problem)
  }
}

describe('Engine.map on arbitrary inputs', () => {
  it('gives exactly one well-formed result per input, without personal data in errors', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, source, mapEngine, async (events, from, engine) => {
        check(await engine.map(events, from), events.length)
      }),
      fuzzParameters(100)
    )
  })
})

describe('Engine.send on arbitrary inputs and Meta answers', () => {
  let graph: RecordingGraph

  beforeAll(async () => {
    graph = await startRecordingGraph()
  })
  afterAll(async () => {
    await graph.close()
  })

  const metaAnswer: fc.Arbitrary<MetaResponse | undefined> = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.record({
        status: fc.constantFrom(400, 401, 403, 429, 500, 502, 503),
        body: fc.oneof(
          fc.record({
            error: fc.record(
              {
                message: fc.string({ maxLength: 40 }),
                code: fc.constantFrom(1, 2, 4, 10, 17, 32, 100, 102, 190, 200, 341, 368, 613, 80004, 12345, -2),
                error_subcode: fc.constantFrom(33, 2804050, 2446079),
                is_transient: fc.boolean(),
                error_user_msg: fc.string({ maxLength: 40 })
              },
              { requiredKeys: ['code'] }
            )
          }),
          fc.constantFrom('', '<html><title>502 Bad Gateway</title></html>', 'not json'),
          fc.jsonValue({ maxDepth: 2 })
        )
      })
    }
  )

  // Built once: the sandbox is started in beforeAll, so its URL is read when the engine is first used.
  let engine: Engine
  beforeAll(() => {
    engine = new Engine(
      { settings, amplitudeEventMap: {} },
      { retry: { maxAttempts: 2 }, sleep: async () => undefined, graphUrl: graph.url }
    )
  })

  it('gives exactly one well-formed result per input whatever Meta answers', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, source, metaAnswer, async (events, from, answer) => {
        graph.reset(answer)
        const report = await engine.send(events, from)
        check(report.results, events.length)
        if (answer === undefined && report.results.some((result) => 'retryable' in result && result.retryable)) {
          throw new Error('a retryable failure although Meta accepted everything')
        }
        // Whatever reached Meta is hashed, and the one never-hashed key we can check is an IP address.
        for (const body of graph.bodies) {
          for (const event of (body as { data?: { user_data?: Record<string, unknown> }[] }).data ?? []) {
            const problem = userDataProblem(event.user_data ?? {})
            if (problem) throw new Error(`sent to Meta: ${problem}`)
          }
        }
      }),
      fuzzParameters(80)
    )
  })
})
