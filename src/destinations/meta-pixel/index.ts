import type { DestinationDefinition } from '@segment/actions-core'
import { classifyMetaResponse, classifyNetworkError } from '../../lib/meta-errors'
import { pixelUrl } from './graph'
import { presets } from './presets'
import sendEvent from './sendEvent'
import { settingsFields } from './settings'
import type { Settings } from './settings'

const destination: DestinationDefinition<Settings> = {
  // actions-core keys its schemas `${name}:settings` and ajv parses that key as a URI (fast-uri >= 3.1.9 is strict),
  // so the name must be a valid URI scheme: letters, digits, + - . (no spaces or parentheses).
  name: 'Meta-Pixel-Conversions-API',
  slug: 'meta-pixel-destination',
  mode: 'cloud',
  description:
    "Send Segment, RudderStack and Amplitude events to a Meta Pixel through Meta's Conversions API, batched, hashed and deduplicated with the browser Pixel.",
  authentication: {
    scheme: 'custom',
    fields: settingsFields,
    // One cheap read of the pixel proves that the token exists and may use this pixel.
    testAuthentication: async (request, { settings }) => {
      const context = { pixelId: settings.pixelId, secrets: [settings.accessToken] }
      let response
      try {
        response = await request(pixelUrl(settings), { method: 'GET', throwHttpErrors: false })
      } catch (error) {
        throw new Error(classifyNetworkError(error, context).message)
      }
      if (!response.ok) throw new Error(classifyMetaResponse(response.status, response.content ?? '', context).message)
      return true
    }
  },
  // No agent here: actions-core destroys any agent it is given after each response; Node's global agent keeps alive.
  extendRequest: ({ settings }) => ({
    headers: { Authorization: `Bearer ${settings.accessToken}` }
  }),
  presets,
  actions: { sendEvent }
}

export default destination
export type { Settings }
export { metaRequests } from './observer'
export type { MetaRequestRecord } from './observer'
