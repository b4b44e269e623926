import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson, sendPageFile, serveAsset } from '../pages/static'
import type { SandboxState } from './state'
import type { ExtraPage } from './types'
import { testEventsView } from './test-events'

/**
 * The sandbox's pages: the Test Events view at / (web/test-events.*, which polls GET /__sandbox/view) and the
 * pages the host adds (the CLI's mapping preview at /mapping). Answers true when it handled the request.
 */
export async function handlePage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: SandboxState,
  extraPages?: ExtraPage
): Promise<boolean> {
  const path = url.pathname
  if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
    sendPageFile(res, 'test-events.html')
    return true
  }
  if (req.method === 'GET' && path === '/__sandbox/view') {
    // The page polls with the version it shows; an unchanged state costs an empty answer.
    if (url.searchParams.get('since') === String(state.version)) {
      res.writeHead(204, { 'cache-control': 'no-store' })
      res.end()
    } else sendJson(res, 200, testEventsView(state))
    return true
  }
  if (req.method === 'GET' && path === '/favicon.ico') {
    res.writeHead(204)
    res.end()
    return true
  }
  if (req.method === 'GET' && serveAsset(res, path)) return true
  return extraPages ? extraPages(req, res, path) : false
}
