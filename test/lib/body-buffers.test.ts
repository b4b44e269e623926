import { createRequestClient } from '@segment/actions-core'
import nock from 'nock'
import type { Payload } from '../../src/destinations/meta-pixel/sendEvent/payload'
import { sendEvents } from '../../src/destinations/meta-pixel/sendEvent/send'
import { BodyBuffers } from '../../src/lib/body-buffers'
import { atFrozenTimeWithoutNetwork, EVENTS_PATH, GRAPH, settings } from '../helpers'

describe('BodyBuffers', () => {
  it('encodes the UTF-8 bytes exactly, and reuses a buffer only once it is released', () => {
    const buffers = new BodyBuffers()
    const first = buffers.encode('{"name":"Zoë 🛒"}')
    expect(first.bytes.toString()).toBe('{"name":"Zoë 🛒"}')
    expect(first.bytes.length).toBe(Buffer.byteLength('{"name":"Zoë 🛒"}'))
    const second = buffers.encode('{"b":2}')
    expect(second.bytes.buffer).not.toBe(first.bytes.buffer)
    first.release()
    first.release()
    const third = buffers.encode('{"c":3}')
    expect(third.bytes.buffer).toBe(first.bytes.buffer)
    expect(third.bytes.toString()).toBe('{"c":3}')
    expect(buffers.encode('{"d":4}').bytes.buffer).not.toBe(first.bytes.buffer)
  })

  it('takes a new buffer for a body larger than any free one; keeps at most `keep` and none over `maxBytes`', () => {
    const buffers = new BodyBuffers(1, 2 << 20)
    const small = buffers.encode('x')
    small.release()
    const large = buffers.encode('y'.repeat(3 << 20))
    expect(large.bytes.buffer).not.toBe(small.bytes.buffer)
    expect(large.bytes.length).toBe(3 << 20)
    large.release()
    expect(buffers.encode('z'.repeat(3 << 20)).bytes.buffer).not.toBe(large.bytes.buffer)
    const [a, b] = [buffers.encode('a'), buffers.encode('b')]
    expect(a.bytes.buffer).toBe(small.bytes.buffer)
    a.release()
    b.release()
    expect(buffers.encode('c').bytes.buffer).toBe(a.bytes.buffer)
    expect(buffers.encode('d').bytes.buffer).not.toBe(b.bytes.buffer)
  })
})

describe('request bodies in reused buffers', () => {
  atFrozenTimeWithoutNetwork()

  class RecordingBuffers extends BodyBuffers {
    readonly released: string[] = []
    override encode(text: string) {
      const encoded = super.encode(text)
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
