import type { RequestClient } from '@segment/actions-core'
import { classifyMetaResponse, classifyNetworkError, type ClassifiedError } from '../../lib/meta-errors'
import { pixelUrl } from './graph'
import type { Settings } from './settings'

/** What reading the pixel showed: nothing wrong, or Meta's classified answer (and, for no answer, why). */
export type PixelProbe =
  { ok: true } | { ok: false; error: ClassifiedError; httpStatus?: number; networkCause?: string }

/** A short, secret-free cause: the system error code (ECONNREFUSED…), or "timed out", or the error's name. */
function causeOf(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown }
  if (typeof name === 'string' && /timeout|abort/i.test(name)) return 'timed out'
  return typeof code === 'string' ? code : typeof name === 'string' ? name : 'no answer'
}

/**
 * One cheap read of the pixel (`GET /{version}/{pixel}?fields=id,name`) proves that the token exists and may use
 * this pixel. testAuthentication throws on a failure; the CLI's `check` words each kind of failure for a person.
 */
export async function probePixel(request: RequestClient, settings: Settings, graphUrl?: string): Promise<PixelProbe> {
  const context = { pixelId: settings.pixelId, secrets: [settings.accessToken] }
  const url = pixelUrl(settings, graphUrl)
  let response
  try {
    response = await request(url, { method: 'GET', throwHttpErrors: false })
  } catch (error) {
    return { ok: false, error: classifyNetworkError(error, context), networkCause: causeOf(error) }
  }
  if (response.ok) return { ok: true }
  const error = classifyMetaResponse(response.status, response.content ?? '', context)
  return { ok: false, error, httpStatus: response.status }
}
