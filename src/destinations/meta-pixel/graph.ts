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

const PIXEL_ID_RULE = 'The Pixel ID must be the digits shown in Events Manager'
const API_VERSION_RULE = `The Graph API version must look like ${DEFAULT_API_VERSION}`

/** Why a pixel ID cannot name a pixel, or undefined; the runner checks its configuration with this too. */
export function pixelIdProblem(pixelId: unknown): string | undefined {
  return PIXEL_ID.test(String(pixelId ?? '').trim()) ? undefined : PIXEL_ID_RULE
}

/** Why an API version is not one, or undefined (absent means the default). */
export function apiVersionProblem(apiVersion: unknown): string | undefined {
  return API_VERSION.test(String(apiVersion || DEFAULT_API_VERSION).trim()) ? undefined : API_VERSION_RULE
}

/** Checked before any request, so a typo says what is wrong instead of coming back as a puzzling Meta error. */
export function checkGraphTarget(target: GraphTarget): { pixelId: string; apiVersion: string } {
  // Hosts that skip settings validation (executeBatch) can pass a missing or non-string value.
  if (pixelIdProblem(target.pixelId)) throw new IntegrationError(PIXEL_ID_RULE, 'INVALID_PIXEL_ID', 400)
  if (apiVersionProblem(target.apiVersion)) throw new IntegrationError(API_VERSION_RULE, 'INVALID_API_VERSION', 400)
  return {
    pixelId: String(target.pixelId).trim(),
    apiVersion: String(target.apiVersion || DEFAULT_API_VERSION).trim()
  }
}

export function eventsUrl(target: GraphTarget, baseUrl?: string): string {
  const { pixelId, apiVersion } = checkGraphTarget(target)
  return `${graphBaseUrl(baseUrl)}/${apiVersion}/${pixelId}/events`
}

export function pixelUrl(target: GraphTarget, baseUrl?: string): string {
  const { pixelId, apiVersion } = checkGraphTarget(target)
  return `${graphBaseUrl(baseUrl)}/${apiVersion}/${pixelId}?fields=id,name`
}
