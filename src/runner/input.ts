import type { SegmentEvent } from '@segment/actions-core'
import { amplitudeToSegment, detectAmplitudeFormat } from '../lib/amplitude'
import { isRecord } from '../lib/is-record'

export type InputSource = 'auto' | 'segment' | 'amplitude'
/** What one input was read as: the source given, or the one detected from its shape. */
export type ReadAs = Exclude<InputSource, 'auto'>

export type AdaptedInput =
  | { ok: true; event: SegmentEvent; source: 'segment' | 'amplitude'; sourceName?: string }
  | { ok: false; status: 400; error: string }

const SEGMENT_TYPES = new Set(['track', 'page', 'screen', 'identify', 'group', 'alias'])
const OBJECT_KEYS = ['context', 'properties', 'traits'] as const

function checkSegmentEvent(input: unknown): AdaptedInput {
  if (!isRecord(input)) return { ok: false, status: 400, error: 'an event must be a JSON object' }
  const event = input as Record<string, unknown>
  if (typeof event.type !== 'string' || !SEGMENT_TYPES.has(event.type)) {
    return { ok: false, status: 400, error: 'not a Segment event (type must be track, page, screen, identify…)' }
  }
  if (event.type === 'track' && (typeof event.event !== 'string' || event.event.trim() === '')) {
    return { ok: false, status: 400, error: 'a Segment track event needs an event name' }
  }
  // actions-core itself crashes on a non-object context, which would fail the whole batch instead of this event.
  const notObject = OBJECT_KEYS.find((key) => key in event && !isRecord(event[key]))
  if (notObject) return { ok: false, status: 400, error: `a Segment event's ${notObject} must be an object` }
  return { ok: true, event: event as unknown as SegmentEvent, source: 'segment' }
}

/** The source given, or with source auto, Amplitude when the input looks like one of its events, else Segment. */
export function readAs(input: unknown, source: InputSource): ReadAs {
  if (source !== 'auto') return source
  return detectAmplitudeFormat(input) !== undefined ? 'amplitude' : 'segment'
}

/** Turns any accepted input into the Segment-spec event the destination's presets map. */
export function adaptInput(
  input: unknown,
  source: InputSource,
  amplitudeEventMap: Record<string, string>
): AdaptedInput {
  if (readAs(input, source) === 'segment') return checkSegmentEvent(input)
  const adapted = amplitudeToSegment(input, { eventMap: amplitudeEventMap })
  if (!adapted.ok) return adapted
  // The adapter renames mapped events; the router's deny list needs the name Amplitude sent.
  const sourceName = (input as { event_type?: unknown }).event_type
  return {
    ok: true,
    event: adapted.event as unknown as SegmentEvent,
    source: 'amplitude',
    ...(typeof sourceName === 'string' && { sourceName })
  }
}
