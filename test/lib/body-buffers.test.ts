import { createRequestClient } from '@segment/actions-core'
import nock from 'nock'
import type { Payload } from '../../src/destinations/meta-pixel/sendEvent/payload'
import { sendEvents } from '../../src/destinations/meta-pixel/sendEvent/send'
import { BodyBuffers } from '../../src/lib/body-buffers'
import { JsonText } from '../../src/lib/json-text'
import { atFrozenTimeWithoutNetwork, EVENTS_PATH, GRAPH, settings } from '../helpers'

describe('BodyBuffers', () => {
  const bytesOf = (body: Record<string, unknown>) => new BodyBuffers().encode(body).bytes

  it.each([
    ['an empty object', {}],
    ['an empty array', { data: [] }],
    ['non-ASCII text and a surrogate pair', { data: [{ name: 'Zoë 🛒', city: 'Zürich' }], agent: 'naïve' }],
    [
      'keys in their order, values JSON leaves out or writes as null',
      { b: undefined, data: [1, undefined, () => 1, null], a: 'x', f: () => 1 }
    ],
    [
      'arrays that are not the first key, nested arrays and escapes',
      { note: 'a "quote" \\ and \n', data: [[1, [2]], { s: ['\u2028'] }], z: [] }
    ],
    ['a lone surrogate', { data: ['\ud83d'] }]
  ])('writes exactly the UTF-8 bytes of JSON.stringify: %s', (_label, body) => {
    expect(bytesOf(body).equals(Buffer.from(JSON.stringify(body)))).toBe(true)
  })

  it('writes an element given as JsonText as its text, as JSON.stringify writes the value it stands for', () => {
    const events = [{ event_name: 'Purchase', custom_data: { value: 9.5, note: 'Zoë 🛒' } }, { event_name: 'Lead' }]
    const body = { data: [new JsonText(JSON.stringify(events[0])), events[1]], partner_agent: 'p' }
    const expected = JSON.stringify({ data: events, partner_agent: 'p' })
    const readBack = jest.spyOn(JsonText.prototype, 'toJSON')
    try {
      expect(bytesOf(body).toString()).toBe(expected)
      expect(readBack).not.toHaveBeenCalled()
    } finally {
      readBack.mockRestore()
    }
    expect(JSON.stringify(body)).toBe(expected)
  })

  it('grows past its first buffer for a body of many large multi-byte elements, copying what it wrote', () => {
    const data = Array.from({ length: 400 }, (_, index) => ({ index, text: `€${index}`.repeat(2_000) }))
    const body = { data, partner_agent: 'p' }
    const bytes = bytesOf(body)
    expect(bytes.length).toBeGreaterThan(1 << 20)
    expect(bytes.equals(Buffer.from(JSON.stringify(body)))).toBe(true)
  })

  it('reuses a buffer only once it is released, and the largest free one first', () => {
    const buffers = new BodyBuffers()
    const first = buffers.encode({ name: 'a' })
    const second = buffers.encode({ b: 2 })
    expect(second.bytes.buffer).not.toBe(first.bytes.buffer)
    first.release()
    first.release()
    const third = buffers.encode({ c: 3 })
    expect(third.bytes.buffer).toBe(first.bytes.buffer)
    expect(third.bytes.toString()).toBe('{"c":3}')
    expect(buffers.encode({ d: 4 }).bytes.buffer).not.toBe(first.bytes.buffer)

    const large = buffers.encode({ data: ['y'.repeat(1 << 20)] })
    large.release()
    second.release()
    expect(buffers.encode({ e: 5 }).bytes.buffer).toBe(large.bytes.buffer)
    expect(buffers.encode({ f: 6 }).bytes.buffer).toBe(second.bytes.buffer)
  })

  it('keeps at most `keep` free buffers and none over `maxBytes`', () => {
    const buffers = new BodyBuffers(1, 2 << 20)
    const huge = buffers.encode({ data: ['z'.repeat(1 << 20)] })
    expect(huge.bytes.buffer.byteLength).toBeGreaterThan(2 << 20)
    huge.release()
    const [a, b] = [buffers.encode({ a: 1 }), buffers.encode({ b: 1 })]
    expect([a.bytes.buffer, b.bytes.buffer]).not.toContain(huge.bytes.buffer)
    a.release()
    b.release()
    expect(buffers.encode({ c: 1 }).bytes.buffer).toBe(a.bytes.buffer)
    expect(buffers.encode({ d: 1 }).bytes.buffer).not.toBe(b.bytes.buffer)
  })
})

describe('request bodies in reused buffers', () => {
  atFrozenTimeWithoutNetwork()

  class RecordingBuffers extends BodyBuffers {
    readonly released: string[] = []
    override encode(body: Record<string, unknown>) {
      const encoded = super.encode(body)
      const text = encoded.bytes.toString()
      return { bytes: encoded.bytes, release: () => (this.released.push(text), encoded.release()) }
    }
  }

  const payload = (id: string) =>
    ({
      event_name: 'Lead',
      event_time: '2026-11-22T07:00:00.000Z',
      event_id: id,
      action_source: 'system_generated',
      user_data: { external_id: [id] }
    }) as Payload

  it('sends the same bytes as a string body, and releases the buffer only after a 2xx', async () => {
    const bodies: string[] = []
    nock(GRAPH)
      .post(EVENTS_PATH)
      .times(4)
      .reply(function (_uri, body) {
        bodies.push(JSON.stringify(body))
        const id = (body as { data: { event_id: string }[] }).data[0].event_id
        if (id === 'ok') return [200, { events_received: 1 }]
        if (id === 'busy') return [503, { error: { message: 'busy', code: 2, is_transient: true } }]
        return [400, { error: { message: 'bad', code: 100 } }]
      })
    const bodyBuffers = new RecordingBuffers()
    const request = createRequestClient({})
    for (const id of ['ok', 'busy', 'bad']) await sendEvents(request, settings, [payload(id)], { bodyBuffers })
    await sendEvents(request, settings, [payload('ok')])

    expect(bodies).toHaveLength(4)
    expect(bodies[3]).toBe(bodies[0])
    expect(bodyBuffers.released).toEqual([bodies[0]])
  })
})
