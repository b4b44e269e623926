import type { ServerResponse } from 'node:http'
import type { ScriptedAnswer } from './types'

/**
 * Sends a scripted answer as given: an object as JSON, a string as it is (an HTML error page, garbage, ""), no body
 * when absent. A content type is added only when the script names none, so a test can send a misleading one.
 */
export function sendScripted(res: ServerResponse, answer: ScriptedAnswer): void {
  const isText = typeof answer.body === 'string'
  const text = answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body)
  const headers = answer.headers ?? {}
  const named = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')
  const contentType = isText ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8'
  res.writeHead(answer.status, { ...(text !== '' && !named && { 'content-type': contentType }), ...headers })
  res.end(text)
}
