export { amplitudeToSegment, type AdaptResult, type AmplitudeAdapterOptions } from './adapter'
export { detectAmplitudeFormat, type AmplitudeFormat } from './detect'
export { DEFAULT_AMPLITUDE_EVENT_MAP, parseEventMap } from './event-map'
export type { SegmentContext, SegmentSpecEvent, SegmentTraits } from './segment-spec'
