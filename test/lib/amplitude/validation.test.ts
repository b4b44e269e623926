import { rejection } from './helpers'

const valid = { event_type: 'App Opened', user_id: 'user-123', device_id: 'device-123', time: 1646078821795 }

describe('malformed Amplitude events are rejected with a 400 naming the problem', () => {
  it.each([null, undefined, 'event', 42, true, [valid]])('not an object: %j', (input) => {
    expect(rejection(input)).toEqual({ status: 400, error: 'Amplitude event must be a JSON object' })
  })

  it.each([
    ['missing', undefined],
    ['not a string', 7],
    ['blank', '   ']
  ])('event_type %s', (_label, eventType) => {
    expect(rejection({ ...valid, event_type: eventType })).toEqual({
      status: 400,
      error: 'Amplitude event has no event_type'
    })
  })

  it.each([
    ['both missing', undefined, undefined],
    ['blank', ' ', ''],
    ['numbers', 12345, 67890],
    ["Amplitude's invalid values", 'anonymous', 'null'],
    ["Amplitude's invalid numbers", '0', '-1'],
    ['the zero UUID', '00000000-0000-0000-0000-000000000000', 'NULL']
  ])('user_id and device_id %s', (_label, userId, deviceId) => {
    const { status, error } = rejection({ ...valid, user_id: userId, device_id: deviceId })
    expect(status).toBe(400)
    expect(error).toBe('Amplitude event has neither a valid user_id nor a valid device_id')
  })

  it('reports the time problem without echoing the value', () => {
    const { error } = rejection({ ...valid, time: 'jane.doe@example.com' })
    expect(error).toBe('Amplitude event has an invalid time: expected ms since epoch or a UTC date-time')
    expect(rejection({ ...valid, time: undefined }).error).toBe(
      'Amplitude event has an invalid time: it has no time or event_time'
    )
  })

  it('never echoes id values, which can be personal data', () => {
    const { error } = rejection({ ...valid, user_id: 'anonymous', device_id: 'null', time: 'bad' })
    expect(error).not.toMatch(/anonymous|null|bad/)
  })
})
