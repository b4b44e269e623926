import type { IncomingMessage, ServerResponse } from 'node:http'
import { handleMappingRoute } from '../pages/mapping-route'
import { sendJson, sendPageFile, serveAsset } from '../pages/static'
import type { SandboxState } from './state'
import { testEventsView } from './test-events'

/**
 * The sandbox's pages: the Test Events view at / (web/test-events.*, which polls GET /__sandbox/view) and the
 * mapping preview at /mapping. Answers true when it handled the request.
 */
export async function handlePage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: SandboxState
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
  return handleMappingRoute(req, res, path)
}
