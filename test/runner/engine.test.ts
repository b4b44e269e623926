import nock from 'nock'
import { EncodedEvent, serverEventOf } from '../../src/lib/capi-event'
import * as capiEventBuild from '../../src/lib/capi-event/build'
import { Engine } from '../../src/runner/engine'
import type { RunnerConfig } from '../../src/runner/config'
import {
  EVENTS_PATH,
  GRAPH,
  NOW_MS,
  referenceOrderCompleted,
  referenceRequestBody,
  settings,
  atFrozenTimeWithoutNetwork,
  invalidParameterBody
} from '../helpers'

const config: RunnerConfig = { settings, amplitudeEventMap: {} }
const noSleep = async () => undefined

function orders(count: number) {
  return Array.from({ length: count }, (_, i) => ({ ...referenceOrderCompleted(), messageId: `order-${i}` }))
}

atFrozenTimeWithoutNetwork()

describe('Engine.send', () => {
  it('delivers 2,500 events of one preset in exactly 3 requests of 1000/1000/500, results in order', async () => {
    const sizes: number[] = []
    nock(GRAPH)
      .post(EVENTS_PATH)
      .times(3)
      .reply(200, (_uri, body) => {
        const count = (body as { data: unknown[] }).data.length
        sizes.push(count)
        return { events_received: count, messages: [], fbtrace_id: 'T' }
      })

    const report = await new Engine(config, { sleep: noSleep }).send(orders(2500))

    expect(sizes.sort()).toEqual([1000, 1000, 500].sort())
    expect(report.requests).toBe(3)
    expect(report.results).toHaveLength(2500)
    report.results.forEach((result, index) => {
      expect(result).toMatchObject({ index, status: 200 })
      expect('event' in result && result.event.event_id).toBe(`order-${index}`)
    })
  })

  it('retries a rate-limited request and delivers every event once', async () => {
    const delivered: string[] = []
    nock(GRAPH)
      .post(EVENTS_PATH)
      .reply(400, { error: { message: '(#613) Calls to this api have exceeded the rate limit.', code: 613 } })
      .post(EVENTS_PATH)
      .reply(200, (_uri, body) => {
        const data = (body as { data: { event_id: string }[] }).data
        delivered.push(...data.map((event) => event.event_id))
        return { events_received: data.length }
      })
    const sleeps: number[] = []

    const report = await new Engine(config, { sleep: async (ms) => void sleeps.push(ms) }).send(orders(3))

    expect(delivered).toEqual(['order-0', 'order-1', 'order-2'])
    expect(report.results.map((result) => 'status' in result && result.status)).toEqual([200, 200, 200])
    expect(report.requests).toBe(2)
    expect(sleeps).toHaveLength(1)
  })

  it('skips events no preset maps, and reports inputs that are not events', async () => {
    const report = await new Engine(config, { sleep: noSleep }).send([
      { type: 'track', event: 'Button Clicked', messageId: 'x', timestamp: new Date(NOW_MS).toISOString() },
      'not an event'
    ])

    expect(report.results).toEqual([
      { index: 0, skipped: 'no preset matches track "Button Clicked"' },
      { index: 1, status: 400, error: 'an event must be a JSON object', retryable: false }
    ])
    expect(report.requests).toBe(0)
  })
})

describe('Engine.map', () => {
  it('produces the exact server event the send path delivers, without any request', async () => {
    const [result] = await new Engine(config).map([referenceOrderCompleted()])
    expect(result).toEqual({ index: 0, status: 200, event: referenceRequestBody.data[0] })
  })
})

describe('Engine.prepare and Engine.deliver', () => {
  const buttonClicked = {
    type: 'track',
    event: 'Button Clicked',
    messageId: 'x',
    timestamp: new Date(NOW_MS).toISOString()
  }

  it("prepare gives map's results and each route's name; deliver sends what it built, two sets in one request", async () => {
    const settled: [number, unknown][] = []
    const engine = new Engine(config, {
      sleep: noSleep,
      onOutcome: (result, input) => settled.push([result.index, input])
    })
    const [first, second, third] = orders(3)
    const a = engine.prepare([first, second, buttonClicked])
    const b = engine.prepare([third, 'not an event'])

    expect(a.map((item) => item.result)).toEqual(await new Engine(config).map([first, second, buttonClicked]))
    expect(a.map((item) => item.route)).toEqual(['Purchase', 'Purchase', undefined])
    expect(b.map((item) => item.route)).toEqual(['Purchase', undefined])
    expect(a[0].result).toEqual({
      index: 0,
      status: 200,
      event: { ...referenceRequestBody.data[0], event_id: 'order-0' }
    })

    const bodies: { data: unknown[] }[] = []
    nock(GRAPH)
      .post(EVENTS_PATH)
      .reply(200, (_uri, body) => {
        bodies.push(body as { data: unknown[] })
        return { events_received: bodies[0].data.length }
      })
    const built = jest.spyOn(capiEventBuild, 'buildServerEvent')
    try {
      const report = await engine.deliver([...a, ...b])

      expect(built).not.toHaveBeenCalled()
      expect(report.requests).toBe(1)
      expect(bodies[0].data).toEqual([a[0], a[1], b[0]].map((item) => 'event' in item.result && item.result.event))
      expect(report.results).toEqual([
        { index: 0, status: 200, event: bodies[0].data[0] },
        { index: 1, status: 200, event: bodies[0].data[1] },
        { index: 2, skipped: 'no preset matches track "Button Clicked"' },
        { index: 3, status: 200, event: bodies[0].data[2] },
        { index: 4, status: 400, error: 'an event must be a JSON object', retryable: false }
      ])
      // Only delivery settles: prepare told onOutcome nothing, deliver told it of every input, with the input.
      expect(settled).toEqual([
        [0, first],
        [1, second],
        [2, buttonClicked],
        [3, third],
        [4, 'not an event']
      ])
    } finally {
      built.mockRestore()
    }
  })

  it('a retry resends the event as built, byte for byte, without building it again', async () => {
    const bodies: string[] = []
    const record = (status: number, answer: object) => (_uri: string, body: nock.Body) => {
      bodies.push(JSON.stringify(body))
      return [status, answer] as [number, object]
    }
    nock(GRAPH)
      .post(EVENTS_PATH)
      .reply(record(503, { error: { message: 'Service temporarily unavailable', code: 2 } }))
      .post(EVENTS_PATH)
      .reply(record(200, { events_received: 2 }))
    const engine = new Engine(config, { sleep: noSleep })
    const prepared = engine.prepare(orders(2))
    const built = jest.spyOn(capiEventBuild, 'buildServerEvent')
    try {
      const report = await engine.deliver(prepared)

      expect(report.requests).toBe(2)
      expect(bodies).toHaveLength(2)
      expect(bodies[1]).toBe(bodies[0])
      expect(built).not.toHaveBeenCalled()
      expect(report.results.map((result) => 'status' in result && result.status)).toEqual([200, 200])
    } finally {
      built.mockRestore()
    }
  })
})

/** Meta refusing an event whose value is over 900 by its position, and answering the first other request 503. */
function scriptedMeta(bodies: string[]): void {
  let answered = 0
  nock.cleanAll()
  nock(GRAPH)
    .persist()
    .post(EVENTS_PATH)
    .reply((_uri, body) => {
      bodies.push(JSON.stringify(body))
      const data = (body as { data: { custom_data?: { value?: number } }[] }).data
      const refused = data.findIndex((event) => (event.custom_data?.value ?? 0) > 900)
      if (refused >= 0)
        return [400, invalidParameterBody(`The parameter $['data'][${refused}]['custom_data']['value'] is too large.`)]
      if (answered++ === 0) return [503, { error: { message: 'Service unavailable', code: 2, is_transient: true } }]
      return [200, { events_received: data.length }]
    })
}

describe('an engine that encodes its events', () => {
  const tooLarge = (index: number) => {
    const order = orders(index + 1)[index]
    return { ...order, properties: { ...order.properties, revenue: 950 } }
  }
  const inputs = [...orders(2), tooLarge(2), 'not an event', orders(4)[3]]

  it('holds each built event as its JSON text', () => {
    const [asObjects] = new Engine(config).prepare(inputs)
    const held = new Engine(config, { encodeEvents: true }).prepare(inputs)[0].pending?.built.event
    expect(held).toBeInstanceOf(EncodedEvent)
    expect(held).toMatchObject({ event_name: 'Purchase', event_id: 'order-0' })
    expect((held as EncodedEvent).json).toBe(JSON.stringify(asObjects.pending?.built.event))
  })

  it('sends the same requests as one that holds objects, through a refused event and a retry, with the same results', async () => {
    const plainBodies: string[] = []
    scriptedMeta(plainBodies)
    const plain = await new Engine(config, { sleep: noSleep }).send(inputs)
    const encodedBodies: string[] = []
    scriptedMeta(encodedBodies)
    const encoded = await new Engine(config, { sleep: noSleep, encodeEvents: true }).send(inputs)

    expect(plainBodies.map((body) => (JSON.parse(body) as { data: unknown[] }).data.length)).toEqual([4, 3, 3])
    expect(encodedBodies).toEqual(plainBodies)
    expect(encoded.requests).toBe(plain.requests)
    expect(encoded.results.map((result) => ('status' in result ? result.status : result))).toEqual([
      200, 200, 400, 400, 200
    ])
    expect(encoded.results[2]).toMatchObject({ error: expect.stringContaining('is too large') })
    const readBack = encoded.results.map((result) =>
      'event' in result ? { ...result, event: serverEventOf(result.event) } : result
    )
    expect(readBack).toEqual(plain.results)
  })
})

/** A property nested `levels` deep: enough to overflow actions-core's recursive removeUndefined. */
function nestedValue(levels: number): unknown {
  let value: unknown = 'leaf'
  for (let level = 0; level < levels; level++) value = { a: value }
  return value
}

describe('what a prepared event keeps', () => {
  it('its built event and its request keys, not its payload; its input only when onOutcome will be told of it', () => {
    const order = { ...referenceOrderCompleted(), messageId: 'kept' }
    const [without] = new Engine(config).prepare([order])
    expect(Object.keys(without).sort()).toEqual(['pending', 'result', 'route'])
    expect(Object.keys(without.pending ?? {}).sort()).toEqual(['built', 'requestKeys', 'route'])
    expect(without.pending?.requestKeys).toEqual({ batch_size: 1000, test_event_code: undefined })
    const [withInput] = new Engine(config, { onOutcome: () => undefined }).prepare([order])
    expect(withInput.input).toBe(order)
    expect(withInput.result).toEqual(without.result)
  })
})

describe('Engine.send with an event that makes actions-core throw', () => {
  it('fails only that event (400, not retryable) and delivers its batch neighbours in requests without it', async () => {
    const sent: string[][] = []
    nock(GRAPH)
      .post(EVENTS_PATH)
      .times(10)
      .reply(200, (_uri, body) => {
        const data = (body as { data: { event_id: string }[] }).data
        sent.push(data.map((event) => event.event_id))
        return { events_received: data.length }
      })
    // Amplitude events carry every property into custom_data, so actions-core's mapping walks the deep one.
    const events = Array.from({ length: 8 }, (_, i) => ({
      event_type: 'Order Completed',
      user_id: 'user-42',
      time: NOW_MS,
      insert_id: `order-${i}`,
      ip: '203.0.113.7',
      user_properties: { email: 'jane.doe@example.com' },
      event_properties: { revenue: 25, currency: 'USD', ...(i === 5 && { deep: nestedValue(20_000) }) }
    }))

    const amplitudeConfig = { ...config, settings: { ...settings, defaultActionSource: 'system_generated' } }
    const report = await new Engine(amplitudeConfig, { sleep: noSleep }).send(events, 'amplitude')

    expect(report.results[5]).toEqual({
      index: 5,
      status: 400,
      error: expect.stringMatching(/^the destination cannot process this event: /),
      retryable: false
    })
    report.results.forEach((result, index) => {
      if (index !== 5) expect(result).toMatchObject({ index, status: 200 })
    })
    // Each good event was sent exactly once, and the poison never.
    expect(sent.flat().sort()).toEqual([0, 1, 2, 3, 4, 6, 7].map((i) => `order-${i}`).sort())
  })
})
