import { readFileSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join } from 'node:path'

/**
 * The browser pages' files (web/ of the package: HTML, CSS and plain JavaScript, no build step), served with a
 * policy that allows only the page's own scripts, styles and requests.
 */

/** web/ of the package: next to dist/ when installed, next to src/ in a checkout. */
export const WEB_DIR = join(__dirname, '..', '..', 'web')

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=UTF-8',
  '.js': 'text/javascript; charset=UTF-8',
  '.css': 'text/css; charset=UTF-8'
}

export const PAGE_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** The allowed names: a request can never name a path outside web/. */
const WEB_FILES = new Set([
  'pages.css',
  'common.js',
  'test-events.html',
  'test-events.js',
  'mapping.html',
  'mapping.js'
])

/** Read on each request: the files are small, and an edit shows on the next reload. */
export function webFile(name: string): string {
  if (!WEB_FILES.has(name)) throw new Error(`Not a page file: ${name}`)
  return readFileSync(join(WEB_DIR, name), 'utf8')
}

/** Serves /assets/<name> for the files above; false when the path is not one of them. */
export function serveAsset(res: ServerResponse, path: string): boolean {
  const name = path.startsWith('/assets/') ? path.slice('/assets/'.length) : ''
  if (!WEB_FILES.has(name) || name.endsWith('.html')) return false
  sendPageFile(res, name)
  return true
}

export function sendPageFile(res: ServerResponse, name: string): void {
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(name)],
    'cache-control': 'no-store',
    'content-security-policy': PAGE_SECURITY_POLICY,
    'x-content-type-options': 'nosniff'
  })
  res.end(webFile(name))
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}
