import { detectAmplitudeFormat } from '../../../src/lib/amplitude'

describe('detectAmplitudeFormat', () => {
  it.each([
    ['HTTP V2 with time', { event_type: 'x', user_id: 'user-1', time: 1646078821795 }],
    ['HTTP V2 with insert_id', { event_type: 'x', device_id: 'device-1', insert_id: 'i-1' }],
    ['HTTP V2 with ip', { event_type: 'x', user_id: 'user-1', ip: '192.0.2.1' }],
    ['an event_type and nothing format-specific', { event_type: 'x' }],
    ['an insert_id without event_type', { insert_id: 'i-1' }]
  ])('http_v2: %s', (_label, input) => {
    expect(detectAmplitudeFormat(input)).toBe('http_v2')
  })

  it.each([
    ['event_time', { event_type: 'x', event_time: '2022-02-28 20:07:01.795' }],
    ['$insert_id', { event_type: 'x', $insert_id: 'i-1' }],
    ['ip_address', { event_type: 'x', ip_address: '192.0.2.1' }],
    ['uuid', { event_type: 'x', uuid: 'u-1' }],
    ['amplitude_id without event_type', { amplitude_id: 123 }]
  ])('export: %s', (_label, input) => {
    expect(detectAmplitudeFormat(input)).toBe('export')
  })

  it.each([
    [
      'a Segment track',
      { type: 'track', event: 'Order Completed', messageId: 'm-1', timestamp: '2022-02-28T20:07:01Z' }
    ],
    ['a Segment page with an Amplitude-looking key', { type: 'page', messageId: 'm-1', event_type: 'x', time: 1 }],
    ['a RudderStack event', { type: 'track', event: 'Order Completed', messageId: 'm', anonymousId: 'a' }],
    ['an object with only an ip', { ip: '192.0.2.1' }],
    ['a non-string event_type', { event_type: 5 }],
    ['an empty object', {}],
    ['an array', [{ event_type: 'x' }]],
    ['null', null],
    ['a string', 'event_type']
  ])('undefined for %s', (_label, input) => {
    expect(detectAmplitudeFormat(input)).toBeUndefined()
  })
})
