import fc from 'fast-check'
import { deliver, isolationBudget, type DeliveryResult, type SendOutcome } from '../../src/lib/delivery'
import { classifyMetaResponse, type ClassifiedError } from '../../src/lib/meta-errors'

/** Events are their own original positions, so a recorded request shows exactly which events it carried. */
function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index)
}

type Naming = 'first' | 'none' | 'alternate'

/**
 * A fake Graph API: it validates every event of a request and, like Meta, rejects the whole request
 * when one is bad, naming the first bad element (`$['data'][i]`) or naming none.
 */
function fakeMeta(bad: Iterable<number>, naming: Naming = 'first') {
  const badEvents = new Set(bad)
  const requests: number[][] = []
  const send = async (events: number[]): Promise<SendOutcome> => {
    requests.push(events)
    const firstBad = events.findIndex((event) => badEvents.has(event))
    if (firstBad === -1) return { ok: true, eventsReceived: events.length, fbtraceId: `trace-${requests.length}` }
    const names = naming === 'first' || (naming === 'alternate' && requests.length % 2 === 0)
    return { ok: false, error: dataError(names ? firstBad : undefined, requests.length) }
  }
  return { send, requests }
}

function dataError(index: number | undefined, request: number): ClassifiedError {
  const where = index === undefined ? 'An event' : `The parameter $['data'][${index}]['custom_data']['currency']`
  const body = JSON.stringify({
    error: {
      message: 'Invalid parameter',
      type: 'OAuthException',
      code: 100,
      error_subcode: 2804010,
      is_transient: false,
      error_user_title: 'Missing Currency for Purchase Event',
      error_user_msg: `${where} is required for Purchase events.`,
      fbtrace_id: `trace-${request}`
    }
  })
  return classifyMetaResponse(400, body, { pixelId: '1234' })
}

function rateLimitError(): ClassifiedError {
  const body = JSON.stringify({
    error: {
      message: 'User request limit reached',
      type: 'OAuthException',
      code: 17,
      is_transient: false,
      fbtrace_id: 'rl'
    }
  })
  return classifyMetaResponse(400, body, { pixelId: '1234' })
}

function failures(results: DeliveryResult[]): number[] {
  return results.flatMap((result, index) => (result.ok ? [] : [index]))
}

function errorOf(result: DeliveryResult): ClassifiedError {
  if (result.ok) throw new Error('expected a failed result')
  return result.error
}

describe('isolationBudget', () => {
  it('is 2·⌈log₂ n⌉·(bad events found + 1), at least 2', () => {
    expect(isolationBudget(1000, 0)).toBe(20)
    expect(isolationBudget(1000, 3)).toBe(80)
    expect(isolationBudget(1024, 0)).toBe(20)
    expect(isolationBudget(1025, 0)).toBe(22)
    expect(isolationBudget(2, 0)).toBe(2)
    expect(isolationBudget(1, 0)).toBe(2)
    expect(isolationBudget(1, 5)).toBe(2)
  })
})

describe('deliver', () => {
  it('sends 2,500 events as requests of 1000, 1000 and 500 and reports each in order', async () => {
    const meta = fakeMeta([])

    const report = await deliver(range(2500), { batchSize: 1000, send: meta.send })

    expect(report.requests).toBe(3)
    expect(meta.requests).toEqual([range(1000), range(1000).map((i) => i + 1000), range(500).map((i) => i + 2000)])
    expect(report.results).toHaveLength(2500)
    expect(report.results.every((result) => result.ok)).toBe(true)
    expect(report.results[0]).toEqual({ ok: true, fbtraceId: 'trace-1' })
    expect(report.results[2499]).toEqual({ ok: true, fbtraceId: 'trace-3' })
  })

  it('makes no request for no events', async () => {
    const meta = fakeMeta([])

    expect(await deliver([], { batchSize: 1000, send: meta.send })).toEqual({ results: [], requests: 0 })
  })

  it("fails only the event Meta names as $['data'][17] and resends the other 999 once", async () => {
    const meta = fakeMeta([17])

    const report = await deliver(range(1000), { batchSize: 1000, send: meta.send })

    expect(report.requests).toBe(2)
    expect(meta.requests[1]).toEqual(range(1000).filter((event) => event !== 17))
    expect(failures(report.results)).toEqual([17])
    expect(errorOf(report.results[17])).toEqual({
      status: 400,
      retryable: false,
      kind: 'data',
      code: 100,
      subcode: 2804010,
      fbtraceId: 'trace-1',
      eventIndex: 17,
      message:
        "Invalid parameter: Missing Currency for Purchase Event: The parameter $['data'][17]['custom_data']['currency'] " +
        'is required for Purchase events. (code 100, subcode 2804010, fbtrace_id trace-1)'
    })
    expect(report.results[18]).toEqual({ ok: true, fbtraceId: 'trace-2' })
  })

  it('follows Meta from one named bad event to the next', async () => {
    const meta = fakeMeta([3, 40, 41])

    const report = await deliver(range(100), { batchSize: 100, send: meta.send })

    expect(failures(report.results)).toEqual([3, 40, 41])
    expect(report.requests).toBe(4)
  })

  it('bisects a rejection that names no element until exactly the 3 bad events fail', async () => {
    const bad = [5, 498, 999]
    const meta = fakeMeta(bad, 'none')

    const report = await deliver(range(1000), { batchSize: 1000, send: meta.send })

    expect(failures(report.results)).toEqual(bad)
    expect(report.results).toHaveLength(1000)
    expect(report.requests).toBeLessThanOrEqual(1 + isolationBudget(1000, bad.length))
    for (const event of bad) {
      expect(errorOf(report.results[event])).toMatchObject({ status: 400, retryable: false, kind: 'data' })
      expect(errorOf(report.results[event]).message).not.toMatch(/^Not isolated/)
    }
  })

  it('gives a single-event request that fails with a data error that error', async () => {
    const meta = fakeMeta([0], 'none')

    const report = await deliver(range(1), { batchSize: 1000, send: meta.send })

    expect(report.requests).toBe(1)
    expect(errorOf(report.results[0])).toMatchObject({ status: 400, kind: 'data', fbtraceId: 'trace-1' })
  })

  it('stops isolating at the budget and reports the rest as not isolated, losing nothing', async () => {
    // A failure no single event explains: Meta rejects any request of more than 8 events.
    const requests: number[][] = []
    const send = async (events: number[]): Promise<SendOutcome> => {
      requests.push(events)
      return events.length > 8
        ? { ok: false, error: dataError(undefined, requests.length) }
        : { ok: true, eventsReceived: events.length }
    }

    const report = await deliver(range(1000), { batchSize: 1000, send })

    expect(report.requests).toBe(1 + isolationBudget(1000, 0))
    expect(report.results).toHaveLength(1000)
    const accepted = new Set(requests.filter((request) => request.length <= 8).flat())
    const lastRejectedRequest = requests.reduce((last, request, index) => (request.length > 8 ? index + 1 : last), 0)
    const lastDataError = dataError(undefined, lastRejectedRequest)
    report.results.forEach((result, event) => {
      if (accepted.has(event)) return expect(result).toEqual({ ok: true })
      expect(errorOf(result)).toEqual({
        ...lastDataError,
        message: `Not isolated: Meta rejected a request containing this event: ${lastDataError.message}`
      })
    })
    expect(accepted.size).toBeGreaterThan(0)
    expect(accepted.size).toBeLessThan(1000)
  })

  it('gives a rate limit only to the events of the request that hit it', async () => {
    const send = async (events: number[]): Promise<SendOutcome> =>
      events[0] === 1000 ? { ok: false, error: rateLimitError() } : { ok: true, eventsReceived: events.length }

    const report = await deliver(range(2500), { batchSize: 1000, send })

    expect(report.requests).toBe(3)
    expect(failures(report.results)).toEqual(range(1000).map((i) => i + 1000))
    expect(errorOf(report.results[1500])).toMatchObject({ status: 429, retryable: true, kind: 'rate_limit', code: 17 })
  })

  it('does not split or retry a request that failed for a reason other than data', async () => {
    let requests = 0
    const send = async (): Promise<SendOutcome> => {
      requests++
      return {
        ok: false,
        error: classifyMetaResponse(400, '{"error":{"code":190,"message":"bad token"}}', { pixelId: '1' })
      }
    }

    const report = await deliver(range(10), { batchSize: 10, send })

    expect(requests).toBe(1)
    expect(report.results.every((result) => !result.ok && result.error.status === 401)).toBe(true)
  })

  it('gives a rate limit met while isolating to the events of that request only', async () => {
    const meta = fakeMeta([2], 'none')
    const send = async (events: number[]): Promise<SendOutcome> =>
      events[0] === 4 ? { ok: false, error: rateLimitError() } : meta.send(events)

    const report = await deliver(range(8), { batchSize: 8, send })

    expect(failures(report.results)).toEqual([2, 4, 5, 6, 7])
    expect(errorOf(report.results[2]).kind).toBe('data')
    expect([4, 5, 6, 7].map((event) => errorOf(report.results[event]).status)).toEqual([429, 429, 429, 429])
  })

  it('does not claim success when Meta acknowledges fewer events than were sent', async () => {
    const send = async (events: number[]): Promise<SendOutcome> =>
      events[0] === 0
        ? { ok: true, eventsReceived: events.length - 1, fbtraceId: 'short' }
        : { ok: true, eventsReceived: events.length }

    const report = await deliver(range(15), { batchSize: 10, send })

    expect(failures(report.results)).toEqual(range(10))
    expect(errorOf(report.results[0])).toEqual({
      status: 502,
      retryable: true,
      kind: 'transient',
      fbtraceId: 'short',
      message:
        'Meta acknowledged 9 of 10 events in this request; which events were dropped is unknown, so all 10 are reported as failed. ' +
        'Resending them is safe because Meta deduplicates by event_id. (fbtrace_id short)'
    })
    expect(report.results[10]).toEqual({ ok: true })
  })

  it('turns a send that throws into a retryable error for each of its events', async () => {
    const send = async (events: number[]): Promise<SendOutcome> => {
      if (events[0] === 0) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      return { ok: true, eventsReceived: events.length }
    }

    const report = await deliver(range(4), { batchSize: 2, send })

    expect(report.requests).toBe(2)
    expect(failures(report.results)).toEqual([0, 1])
    expect(errorOf(report.results[0])).toMatchObject({ status: 500, retryable: true, kind: 'transient' })
    expect(errorOf(report.results[0]).message).toContain('ECONNRESET: socket hang up')
  })

  it('survives a send that throws synchronously or returns nonsense', async () => {
    const throwsAtOnce = (() => {
      throw new Error('boom')
    }) as unknown as (events: number[]) => Promise<SendOutcome>
    const nonsense = (async () => undefined) as unknown as (events: number[]) => Promise<SendOutcome>

    const thrown = await deliver(range(3), { batchSize: 3, send: throwsAtOnce })
    const garbage = await deliver(range(3), { batchSize: 3, send: nonsense })

    expect(thrown.results.map((result) => !result.ok && result.error.retryable)).toEqual([true, true, true])
    expect(garbage.results.map((result) => !result.ok && result.error.status)).toEqual([500, 500, 500])
  })

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0
    let maxInFlight = 0
    const send = async (events: number[]): Promise<SendOutcome> => {
      maxInFlight = Math.max(maxInFlight, ++inFlight)
      await new Promise((resolve) => setTimeout(resolve, 5 - (events[0] % 5)))
      inFlight--
      return { ok: true, eventsReceived: events.length, fbtraceId: String(events[0]) }
    }

    const byDefault = await deliver(range(50), { batchSize: 5, send })
    const maxByDefault = maxInFlight
    maxInFlight = 0
    await deliver(range(50), { batchSize: 5, send, concurrency: 4 })

    expect(maxByDefault).toBe(2)
    expect(maxInFlight).toBe(4)
    expect(byDefault.results[37]).toEqual({ ok: true, fbtraceId: '35' })
  })

  it('clamps a batch size outside 1..1000', async () => {
    const meta = fakeMeta([])

    await deliver(range(1500), { batchSize: 5000, send: meta.send })
    await deliver(range(2), { batchSize: 0, send: meta.send })

    expect(meta.requests.map((request) => request.length)).toEqual([1000, 500, 1, 1])
  })
})

describe('deliver (properties)', () => {
  const scenario = fc.integer({ min: 0, max: 2500 }).chain((size) =>
    fc.record({
      size: fc.constant(size),
      batchSize: fc.integer({ min: 1, max: 1000 }),
      bad:
        size === 0
          ? fc.constant<number[]>([])
          : fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: 40 }),
      naming: fc.constantFrom<Naming>('first', 'none', 'alternate'),
      concurrency: fc.integer({ min: 1, max: 4 })
    })
  )

  it('returns one result per event: bad events fail with 400, good events are delivered', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ size, batchSize, bad, naming, concurrency }) => {
        const meta = fakeMeta(bad, naming)

        const report = await deliver(range(size), { batchSize, send: meta.send, concurrency })

        expect(report.results).toHaveLength(size)
        expect(report.requests).toBe(meta.requests.length)
        const badEvents = new Set(bad)
        report.results.forEach((result, event) => {
          if (badEvents.has(event))
            expect(errorOf(result)).toMatchObject({ status: 400, retryable: false, kind: 'data' })
          // Failures a single event explains never exhaust the budget, so every good event gets through.
          else expect(result.ok).toBe(true)
        })
        const chunkCount = Math.ceil(size / batchSize)
        const budgets = range(chunkCount).reduce((sum, chunk) => {
          const chunkBad = bad.filter((event) => Math.floor(event / batchSize) === chunk).length
          return sum + (chunkBad > 0 ? isolationBudget(Math.min(batchSize, size - chunk * batchSize), chunkBad) : 0)
        }, 0)
        expect(report.requests).toBeLessThanOrEqual(chunkCount + budgets)
      }),
      { numRuns: 60 }
    )
  })

  it('never throws and never loses an event, whatever the sender does', async () => {
    const behaviours = ['validate', 'throw', 'rate-limit', 'short', 'nonsense', 'reject-big'] as const
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.array(fc.constantFrom(...behaviours), { minLength: 1, maxLength: 20 }),
        async ({ size, batchSize, bad, concurrency }, script) => {
          const meta = fakeMeta(bad, 'none')
          let call = 0
          const send = async (events: number[]): Promise<SendOutcome> => {
            const behaviour = script[call++ % script.length]
            if (behaviour === 'throw') throw new TypeError('fetch failed')
            if (behaviour === 'rate-limit') return { ok: false, error: rateLimitError() }
            if (behaviour === 'short') return { ok: true, eventsReceived: 0 }
            if (behaviour === 'nonsense') return null as unknown as SendOutcome
            if (behaviour === 'reject-big' && events.length > 3) return { ok: false, error: dataError(undefined, call) }
            return meta.send(events)
          }

          const report = await deliver(range(size), { batchSize, send, concurrency })

          expect(report.results).toHaveLength(size)
          expect(report.requests).toBe(call)
          for (const result of report.results) {
            if (!result.ok)
              expect(result.error.retryable).toBe(result.error.status === 429 || result.error.status >= 500)
          }
        }
      ),
      { numRuns: 60 }
    )
  })
})
