import { IntegrationError } from '@segment/actions-core'
import { PACKAGE_VERSION } from '../../version'
import { withoutTrailingSlashes } from '../../lib/trim-slashes'

export const DEFAULT_API_VERSION = 'v26.0'
export const DEFAULT_PARTNER_AGENT = `meta-pixel-destination-${PACKAGE_VERSION}`
const DEFAULT_GRAPH_URL = 'https://graph.facebook.com'

const API_VERSION = /^v\d{2,}\.0$/
const PIXEL_ID = /^\d{5,20}$/

/**
 * The Graph API's base URL: the one the definition was created with (the runner's sandbox, a test's fake), else the
 * host-facing override META_GRAPH_URL, else Meta's.
 */
export function graphBaseUrl(configured?: string): string {
  return withoutTrailingSlashes(configured || process.env.META_GRAPH_URL || DEFAULT_GRAPH_URL)
}

export interface GraphTarget {
  pixelId: string
  apiVersion?: string
}

/** Checked before any request, so a typo says what is wrong instead of coming back as a puzzling Meta error. */
export function checkGraphTarget(target: GraphTarget): { pixelId: string; apiVersion: string } {
  // Hosts that skip settings validation (executeBatch) can pass a missing or non-string value.
  const pixelId = String(target.pixelId ?? '').trim()
  const apiVersion = String(target.apiVersion || DEFAULT_API_VERSION).trim()
  if (!PIXEL_ID.test(pixelId)) {
    throw new IntegrationError('The Pixel ID must be the digits shown in Events Manager', 'INVALID_PIXEL_ID', 400)
  }
  if (!API_VERSION.test(apiVersion)) {
    throw new IntegrationError(
      `The Graph API version must look like ${DEFAULT_API_VERSION}`,
      'INVALID_API_VERSION',
      400
    )
  }
  return { pixelId, apiVersion }
}

export function eventsUrl(target: GraphTarget, baseUrl?: string): string {
  const { pixelId, apiVersion } = checkGraphTarget(target)
  return `${graphBaseUrl(baseUrl)}/${apiVersion}/${pixelId}/events`
}

export function pixelUrl(target: GraphTarget, baseUrl?: string): string {
  const { pixelId, apiVersion } = checkGraphTarget(target)
  return `${graphBaseUrl(baseUrl)}/${apiVersion}/${pixelId}?fields=id,name`
}
