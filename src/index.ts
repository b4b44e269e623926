export { default, default as metaPixelDestination, createDefinition } from './destinations/meta-pixel'
export type { GraphOptions, MetaRequestObserver, MetaRequestRecord, Settings } from './destinations/meta-pixel'
export type { Payload as SendEventPayload } from './destinations/meta-pixel/sendEvent/payload'
