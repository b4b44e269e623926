import { isRecord } from '../lib/is-record'

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024

export { readBody } from '../lib/http-body'

/** Parameters of a Graph POST, or undefined when the body (or its `data` field) is not valid JSON. */
export async function parseParams(
  bytes: Buffer,
  contentType: string | undefined
): Promise<Record<string, unknown> | undefined> {
  const params = isForm(contentType) ? await parseForm(bytes, contentType as string) : parseJsonObject(bytes)
  if (params === undefined) return undefined
  // Graph decodes array parameters sent as JSON strings, which is how form posts (and some SDKs) send `data`.
  if (typeof params.data === 'string') {
    const data = tryParseJson(params.data)
    if (data === undefined) return undefined
    params.data = data
  }
  return params
}

function isForm(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
  return type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data'
}

/** Meta's curl examples post form fields (`-F data=[…]`); undici's Response parses urlencoded and multipart alike. */
async function parseForm(bytes: Buffer, contentType: string): Promise<Record<string, unknown> | undefined> {
  try {
    const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData()
    const params: Record<string, unknown> = {}
    form.forEach((value, key) => {
      if (typeof value === 'string') params[key] = value
    })
    return params
  } catch {
    return undefined
  }
}

function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  if (bytes.length === 0) return {}
  const parsed = tryParseJson(bytes.toString('utf8'))
  return isRecord(parsed) ? parsed : undefined
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
