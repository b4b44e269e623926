import { amplitudeToSegment } from '../../../src/lib/amplitude'
import { adapted } from './helpers'

const withoutIds = {
  event_type: 'Button Clicked',
  user_id: 'user-123',
  device_id: 'device-123',
  time: 1646078821795,
  event_properties: { button: 'buy', position: 2 }
}

const CONTENT_ID = /^amp-[0-9a-f]{32}$/

describe('idempotence: an Amplitude resend gives the same event', () => {
  it('gives deep-equal results and the same messageId for the same input', () => {
    const input = { ...withoutIds, insert_id: 'insert-1', user_properties: { email: 'a@example.com' } }
    const first = amplitudeToSegment(input)
    expect(amplitudeToSegment(structuredClone(input))).toStrictEqual(first)
    expect(adapted(input).messageId).toBe('insert-1')
  })

  it('does not depend on the clock', () => {
    jest.useFakeTimers()
    try {
      jest.setSystemTime(new Date('2030-01-01T00:00:00Z'))
      const before = adapted(withoutIds)
      jest.setSystemTime(new Date('2031-06-15T12:00:00Z'))
      expect(adapted(withoutIds)).toStrictEqual(before)
    } finally {
      jest.useRealTimers()
    }
  })

  it('does not modify its input', () => {
    const input = { ...withoutIds, event_properties: { $revenue: '5', products: '[{"price":"1"}]', price: '2' } }
    const copy = JSON.parse(JSON.stringify(input))
    adapted(input)
    expect(input).toStrictEqual(copy)
  })

  it('uses the uuid when there is no insert_id', () => {
    expect(adapted({ ...withoutIds, uuid: 'uuid-1' }).messageId).toBe('uuid-1')
    expect(adapted({ ...withoutIds, uuid: 'uuid-1', $insert_id: 'insert-2' }).messageId).toBe('insert-2')
  })

  describe('without insert_id or uuid, the messageId is derived from the content', () => {
    const idOf = (input: object) => adapted(input).messageId

    it('is the same for the same content, whatever the key order', () => {
      const reordered = {
        event_properties: { position: 2, button: 'buy' },
        time: 1646078821795,
        device_id: 'device-123',
        user_id: 'user-123',
        event_type: 'Button Clicked'
      }
      expect(idOf(withoutIds)).toMatch(CONTENT_ID)
      expect(idOf(reordered)).toBe(idOf(withoutIds))
    })

    it('is the same for the HTTP V2 and export forms of one event', () => {
      const exported = { ...withoutIds, time: undefined, event_time: '2022-02-28 20:07:01.795' }
      expect(idOf(exported)).toBe(idOf(withoutIds))
    })

    it('ignores fields outside the content (they differ between the two formats)', () => {
      expect(idOf({ ...withoutIds, ip: '192.0.2.1', amplitude_id: 77 })).toBe(idOf(withoutIds))
    })

    it.each([
      ['event_type', { event_type: 'Button Hovered' }],
      ['user_id', { user_id: 'user-456' }],
      ['device_id', { device_id: 'device-456' }],
      ['time', { time: 1646078821796 }],
      ['event_properties', { event_properties: { button: 'buy', position: 3 } }]
    ])('changes when %s changes', (_field, change) => {
      expect(idOf({ ...withoutIds, ...change })).not.toBe(idOf(withoutIds))
    })
  })
})
