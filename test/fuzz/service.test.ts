/**
 * Fuzzing the ingest service over HTTP: arbitrary bodies and damaged Segment and Amplitude events posted to every
 * endpoint, the service delivering to the in-process sandbox.
 * Properties: every request gets a classified JSON answer (never a 500 from an unexpected exception), a Segment batch
 * accounts for each of its messages exactly once, and neither answers nor log lines carry the seeded personal data.
 */
import fc from 'fast-check'
import { startSandbox, type Sandbox } from '../../src/sandbox'
import { startIngestService } from '../../src/service'
import type { IngestService } from '../../src/service'
import { amplitudeSeeds, anyInput, piiIn, segmentSeeds } from './arbitraries'
import { fuzzParameters } from './parameters'

const WRITE_KEY = 'fuzz-segment-write-key'
const API_KEY = 'fuzz-amplitude-api-key'
const config = {
  settings: {
    pixelId: '123456789012345',
    accessToken: 'EAAB-fuzz-token-never-printed',
    partnerAgent: 'fuzz-agent',
    apiVersion: 'v26.0',
    defaultActionSource: 'website' as const
  },
  amplitudeEventMap: {}
}
/** What the service may answer: success, the sender's mistakes, and "retry later". */
const CLASSIFIED_STATUSES = new Set([200, 400, 401, 404, 405, 413, 415, 429, 503])

const now = Date.now()
const segmentInput = anyInput(segmentSeeds(now))
const amplitudeInput = anyInput(amplitudeSeeds(now))

interface Call {
  path: string
  headers: Record<string, string>
  body: string
  /** Messages in a Segment batch whose answer must account for each of them. */
  batchSize?: number
  inputs: unknown[]
}

const basic = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`
const json = (value: unknown) => JSON.stringify(value) ?? 'null'

const call: fc.Arbitrary<Call> = fc.oneof(
  fc.array(segmentInput, { maxLength: 8 }).map((batch) => ({
    path: '/v1/batch',
    headers: { authorization: basic },
    body: json({ batch }),
    batchSize: batch.length,
    inputs: batch
  })),
  segmentInput.map((message) => ({
    path: '/v1/track',
    headers: { authorization: basic },
    body: json(message),
    inputs: [message]
  })),
  fc.array(amplitudeInput, { maxLength: 8 }).map((events) => ({
    path: '/2/httpapi',
    headers: {},
    body: json({ api_key: API_KEY, events }),
    inputs: events
  })),
  amplitudeInput.map((event) => ({
    path: '/webhooks/amplitude',
    headers: { authorization: `Bearer ${API_KEY}` },
    body: json(event),
    inputs: [event]
  })),
  fc
    .tuple(
      fc.constantFrom('/v1/batch', '/v1/page', '/2/httpapi', '/batch', '/webhooks/amplitude', '/nope'),
      fc.oneof(fc.jsonValue({ maxDepth: 3 }).map(json), fc.string({ maxLength: 200 })),
      fc.constantFrom<Record<string, string>>(
        {},
        { authorization: basic },
        { authorization: `Bearer ${API_KEY}` },
        { 'x-api-key': 'wrong' },
        { 'content-encoding': 'gzip' }
      )
    )
    .map(([path, body, headers]) => ({ path, headers, body, inputs: [] }))
)

let sandbox: Sandbox
let service: IngestService
const logLines: string[] = []

beforeAll(async () => {
  sandbox = await startSandbox()
  service = await startIngestService({
    sources: { [WRITE_KEY]: config, [API_KEY]: config },
    lingerMs: 1,
    engine: { retry: { maxAttempts: 1 }, graphUrl: sandbox.url },
    log: (line) => logLines.push(line)
  })
})
afterAll(async () => {
  await service?.close()
  await sandbox?.close()
})

describe('the ingest service on arbitrary requests', () => {
  it('answers every request with a classified JSON reply and never echoes personal data', async () => {
    await fc.assert(
      fc.asyncProperty(call, async (request) => {
        logLines.length = 0
        const response = await fetch(`${service.url}${request.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...request.headers },
          body: request.body
        })
        const text = await response.text()
        if (!CLASSIFIED_STATUSES.has(response.status)) {
          throw new Error(`HTTP ${response.status} for ${request.path}: ${text.slice(0, 300)}`)
        }
        const body = JSON.parse(text) as Record<string, unknown>
        const leaked = piiIn(text) ?? logLines.map((line) => piiIn(line)).find(Boolean)
        if (leaked) throw new Error(`answer or log of ${request.path} leaks "${leaked}": ${text.slice(0, 300)}`)
        if (request.batchSize !== undefined && response.status === 200) {
          const counted = Number(body.delivered) + Number(body.skipped) + Number(body.failed)
          if (counted !== request.batchSize) {
            throw new Error(`a batch of ${request.batchSize} accounted as ${counted}: ${text.slice(0, 300)}`)
          }
        }
      }),
      fuzzParameters(100)
    )
  })
})
