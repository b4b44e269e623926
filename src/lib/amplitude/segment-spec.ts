/**
 * The subset of a Segment-spec event that the destination maps to Meta's Conversions API
 * (reference §13). Only what an Amplitude event can fill is typed; everything else is left out.
 */
export interface SegmentSpecEvent {
  type: 'track' | 'page'
  /** Track events: the Meta or Segment-spec event name the destination's presets match. */
  event?: string
  /** Page events: the page title. */
  name?: string
  messageId: string
  /** ISO-8601 UTC. */
  timestamp: string
  userId?: string
  anonymousId?: string
  properties: Record<string, unknown>
  context: SegmentContext
}

export interface SegmentContext {
  ip?: string
  userAgent?: string
  page?: { url?: string; referrer?: string }
  traits?: SegmentTraits
  device?: { model?: string; manufacturer?: string; advertisingId?: string }
  os?: { name?: string; version?: string }
  app?: { version?: string }
  network?: { carrier?: string }
  locale?: string
  screen?: { width?: number; height?: number; density?: number }
}

export interface SegmentTraits {
  email?: string
  phone?: string
  firstName?: string
  lastName?: string
  birthday?: string
  gender?: string
  address?: { city?: string; state?: string; postalCode?: string; country?: string }
}
