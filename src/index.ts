export { default, default as metaPixelDestination } from './destinations/meta-pixel'
export type { Settings } from './destinations/meta-pixel'
export type { Payload as SendEventPayload } from './destinations/meta-pixel/sendEvent/payload'
