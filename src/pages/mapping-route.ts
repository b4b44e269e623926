import { readdirSync, readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { describeDefinition } from './mapping-definition'
import { defaultPresetsOf, previewMapping, previewRequestProblem, type PreviewRequest } from './mapping-preview'
import { sendJson, sendPageFile } from './static'
import { isRecord } from '../lib/is-record'
import { readAs } from '../runner/input'

/**
 * The mapping preview page under /mapping, mounted by both the sandbox and the ingest service:
 * GET /mapping (the page), GET /mapping/assets/<file>, GET /mapping/definition, GET /mapping/examples (the sample
 * events of examples/*.jsonl), POST /mapping/preview.
 */

export const MAPPING_PATH = '/mapping'
const MAX_PREVIEW_BODY = 1024 * 1024
const ASSETS = new Set(['pages.css', 'common.js', 'mapping.js'])
/** examples/ of the package, beside web/. */
const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples')

export interface SampleEvent {
  label: string
  source: 'segment' | 'amplitude'
  /** The preset it routes to without overrides, so picking a preset can pick a sample it matches. */
  preset?: string
  event: unknown
}

function sampleLabel(event: Record<string, unknown>, source: SampleEvent['source']): string {
  if (source === 'amplitude') return `Amplitude · ${String(event.event_type)}`
  return `Segment · ${event.type === 'track' ? String(event.event) : `${String(event.type)} ${String(event.name ?? '')}`.trim()}`
}

/** The examples/*.jsonl events, offered as samples; unreadable lines are left out. */
export function sampleEvents(dir: string = EXAMPLES_DIR): SampleEvent[] {
  let files: string[]
  try {
    files = readdirSync(dir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort()
  } catch {
    return []
  }
  const events = files.flatMap((file) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .flatMap((line): Record<string, unknown>[] => {
        try {
          const event: unknown = JSON.parse(line)
          return isRecord(event) ? [event] : []
        } catch {
          return []
        }
      })
  )
  // One engine routes them all: the preset a sample shows is the route its preparation took.
  const presets = defaultPresetsOf(events)
  return events.map((event, position) => {
    const source = readAs(event, 'auto')
    return { label: sampleLabel(event, source), source, preset: presets[position], event }
  })
}

async function readJsonBody(
  req: IncomingMessage
): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_PREVIEW_BODY) return { ok: false, error: 'the body is over 1 MiB' }
    chunks.push(chunk as Buffer)
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) }
  } catch {
    return { ok: false, error: 'the body is not JSON' }
  }
}

async function handlePreview(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req)
  if (!body.ok) return sendJson(res, 400, { error: body.error })
  const problem = previewRequestProblem(body.value)
  if (problem) return sendJson(res, 400, { error: problem })
  try {
    sendJson(res, 200, await previewMapping(body.value as PreviewRequest))
  } catch (error) {
    // Settings actions-core rejects: the page shows the message, as `map` prints it before exiting 2.
    sendJson(res, 422, { error: `invalid settings: ${(error as Error).message}` })
  }
}

/** True when the path is the mapping page's (and it was answered). Never throws: a failure is answered 500. */
export async function handleMappingRoute(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path !== MAPPING_PATH && !path.startsWith(`${MAPPING_PATH}/`)) return false
  try {
    await answer(req, res, path)
  } catch {
    // A body that stops half-way (client gone) ends up here.
    if (res.headersSent || res.destroyed) res.destroy()
    else sendJson(res, 500, { error: 'internal error' })
  }
  return true
}

async function answer(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const rest = path.slice(MAPPING_PATH.length)
  if (req.method === 'GET' && (rest === '' || rest === '/')) sendPageFile(res, 'mapping.html')
  else if (req.method === 'GET' && rest === '/definition') sendJson(res, 200, describeDefinition())
  else if (req.method === 'GET' && rest === '/examples') sendJson(res, 200, sampleEvents())
  else if (req.method === 'POST' && rest === '/preview') await handlePreview(req, res)
  else if (req.method === 'GET' && rest.startsWith('/assets/') && ASSETS.has(rest.slice('/assets/'.length))) {
    sendPageFile(res, rest.slice('/assets/'.length))
  } else {
    req.resume()
    sendJson(res, 404, { error: `no such page: ${req.method} ${path}` })
  }
}
