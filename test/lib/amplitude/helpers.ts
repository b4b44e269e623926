import { amplitudeToSegment, type AmplitudeAdapterOptions, type SegmentSpecEvent } from '../../../src/lib/amplitude'

/** The adapted event of an input the test expects to be valid; fails with the adapter's error otherwise. */
export function adapted(input: unknown, options?: AmplitudeAdapterOptions): SegmentSpecEvent {
  const result = amplitudeToSegment(input, options)
  if (!result.ok) throw new Error(`expected a valid event, got: ${result.error}`)
  return result.event
}

/** The adapter's error for an input the test expects to be rejected. */
export function rejection(input: unknown): { status: number; error: string } {
  const result = amplitudeToSegment(input)
  if (result.ok) throw new Error('expected the event to be rejected')
  return { status: result.status, error: result.error }
}

export const PAGE_VIEW = {
  event_type: '[Amplitude] Page Viewed',
  user_id: 'user-123',
  device_id: 'device-123',
  time: 1646078821795,
  event_properties: { '[Amplitude] Page Title': 'Home', '[Amplitude] Page URL': 'https://example.com/' }
}
