// Types of the ESM entry point: the same definition as the CommonJS build's default export.
import type { DestinationDefinition } from '@segment/actions-core'
import type { Settings } from '../dist/index.js'

declare const metaPixelDestination: DestinationDefinition<Settings>
export default metaPixelDestination
export { metaPixelDestination }
export type { Settings, SendEventPayload } from '../dist/index.js'
