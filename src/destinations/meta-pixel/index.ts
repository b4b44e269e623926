import type { DestinationDefinition } from '@segment/actions-core'
import { classifyMetaResponse, classifyNetworkError } from '../../lib/meta-errors'
import { pixelUrl } from './graph'
import { presets } from './presets'
import type { GraphOptions } from './observer'
import { createSendEvent } from './sendEvent'
import { settingsFields } from './settings'
import type { Settings } from './settings'

/**
 * The definition, sending to the Graph API that `graph` names (default: META_GRAPH_URL, else Meta's) and telling
 * `graph.onRequest` of every request. Each call gives an independent definition, so engines with different targets
 * coexist in one process.
 */
export function createDefinition(graph: GraphOptions = {}): DestinationDefinition<Settings> {
  return {
    name: 'Meta Pixel (Conversions API)',
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
          response = await request(pixelUrl(settings, graph.graphUrl), { method: 'GET', throwHttpErrors: false })
        } catch (error) {
          throw new Error(classifyNetworkError(error, context).message)
        }
        if (!response.ok)
          throw new Error(classifyMetaResponse(response.status, response.content ?? '', context).message)
        return true
      }
    },
    // No agent here: actions-core destroys any agent it is given after each response; Node's global agent keeps alive.
    extendRequest: ({ settings }) => ({
      headers: { Authorization: `Bearer ${settings.accessToken}` }
    }),
    presets,
    actions: { sendEvent: createSendEvent(graph) }
  }
}

const destination = createDefinition()

export default destination
export type { Settings }
export type { GraphOptions, MetaRequestObserver, MetaRequestRecord } from './observer'
