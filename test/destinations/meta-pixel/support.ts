/**
 * Shared by the meta-pixel destination tests: intercepting Meta's events edge and reading presets.
 * Not a test file itself (jest only runs *.test.ts).
 */
import nock from 'nock'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../../../src'
import { EVENTS_PATH, GRAPH } from '../../helpers'

export interface CapturedRequest {
  /** The parsed JSON body. */
  body: Record<string, unknown>
  /** Path and query string exactly as requested. */
  path: string
  authorization: string | undefined
}

export interface EventsInterceptor {
  requests: CapturedRequest[]
}

export interface InterceptOptions {
  host?: string
  path?: string
  status?: number
  reply?: unknown
}

/**
 * Answers every POST to the events edge (any query string) like Meta does, recording each request.
 * Matching any query means a token leaked into the URL is recorded, so a test can see it, rather than
 * failing as an unmatched request.
 */
export function interceptEvents(options: InterceptOptions = {}): EventsInterceptor {
  const requests: CapturedRequest[] = []
  const { host = GRAPH, path = EVENTS_PATH, status = 200 } = options
  nock(host)
    .persist()
    .post((uri) => uri.split('?')[0] === path)
    .reply(function (uri, body) {
      requests.push({
        body: (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>,
        path: uri,
        authorization: this.req.headers.authorization
      })
      return [status, options.reply ?? { events_received: 1, messages: [], fbtrace_id: 'AFakeTraceId0001' }]
    })
  return { requests }
}

/** The automatic preset of the destination with this name, as the JSON subscription `Destination.onEvent` takes. */
export function presetNamed(name: string): JSONObject {
  const preset = definition.presets?.find((candidate) => candidate.name === name)
  if (!preset || preset.type !== 'automatic') throw new Error(`no automatic preset named ${name}`)
  return JSON.parse(JSON.stringify(preset)) as JSONObject
}

/** Every automatic preset, as JSON subscriptions. */
export function allPresets(): JSONObject[] {
  return (definition.presets ?? []).map((preset) => presetNamed(preset.name as string))
}

/** The mapping of a preset, for tests that adjust one key of it. */
export function presetMapping(name: string): JSONObject {
  return presetNamed(name).mapping as JSONObject
}

/** A Segment event from JSON (fixtures), typed for actions-core. */
export function asSegmentEvent(event: unknown): SegmentEvent {
  return event as SegmentEvent
}

export const DAY_MS = 24 * 60 * 60 * 1000
