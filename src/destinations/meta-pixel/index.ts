import type { DestinationDefinition } from '@segment/actions-core'
import { probePixel } from './authentication'
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
    // actions-core keys its schemas `${name}:settings` and ajv parses that key as a URI (fast-uri >= 3.1.9 is
    // strict), so the name must be a valid URI scheme: letters, digits, + - . (no spaces or parentheses).
    name: 'Meta-Pixel-Conversions-API',
    slug: 'meta-pixel-destination',
    mode: 'cloud',
    description:
      "Send Segment, RudderStack and Amplitude events to a Meta Pixel through Meta's Conversions API, batched, hashed and deduplicated with the browser Pixel.",
    authentication: {
      scheme: 'custom',
      fields: settingsFields,
      testAuthentication: async (request, { settings }) => {
        const probe = await probePixel(request, settings, graph.graphUrl)
        if (!probe.ok) throw new Error(probe.error.message)
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
