/**
 * Meta's click ID cookie format: fb.{subdomainIndex}.{creationTimeMs}.{fbclid}.
 * Server-side, with no cookie to read the subdomain index from, Meta says to use 1.
 */
export function buildFbc(fbclid: string, creationTimeMs: number): string {
  return `fb.1.${Math.floor(creationTimeMs)}.${fbclid}`
}

/** The fbclid query parameter of a page URL, or undefined when the URL has none or does not parse. */
export function fbclidFromUrl(url: string): string | undefined {
  // Parsing a URL costs microseconds on every event; most page URLs carry no click ID at all.
  if (!url.includes('fbclid')) return undefined
  try {
    return new URL(url).searchParams.get('fbclid') || undefined
  } catch {
    return undefined
  }
}

/** The fbc value to send when only a landing page URL with an fbclid is known; the case of fbclid is kept. */
export function fbcFromUrl(url: string, creationTimeMs: number): string | undefined {
  const fbclid = fbclidFromUrl(url)
  return fbclid ? buildFbc(fbclid, creationTimeMs) : undefined
}
