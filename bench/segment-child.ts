/**
 * Segment's published Meta destination (@segment/action-destinations, facebook-conversions-api), as Segment runs it:
 * one Destination.onEvent per event through the purchase2 action with its default mappings, `--concurrency` events in
 * flight. Reads the same JSON Lines file as the CLI. Its request URL is hard-coded to graph.facebook.com, so https
 * requests are redirected to the sandbox (plain HTTP on 127.0.0.1). Prints one JSON line of counts.
 *
 * Usage: node segment-child.js SEGMENT_DIR FILE EVENTS CONCURRENCY SANDBOX_URL
 */
import http from 'node:http'
import https from 'node:https'
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

interface SegmentCore {
  Destination: new (definition: unknown) => { onEvent(event: unknown, settings: unknown): Promise<unknown> }
  defaultValues(fields: unknown): Record<string, unknown>
}

function redirectHttps(sandboxUrl: string): void {
  const target = new URL(sandboxUrl)
  const rewrite = (options: http.RequestOptions): http.RequestOptions => ({
    ...options,
    protocol: 'http:',
    hostname: target.hostname,
    host: target.hostname,
    port: target.port,
    agent: undefined
  })
  ;(https as unknown as { request: unknown }).request = (options: http.RequestOptions, callback?: () => void) =>
    http.request(rewrite(options), callback)
}

/**
 * An error message fit to print: actions-core and the sandbox name fields, not values, but a message may quote one,
 * so email addresses, long hex (hashes, IDs) and digits are masked; digits also so that messages differing only in
 * an index or a count fall into one bucket.
 */
export function maskedMessage(message: string): string {
  return message
    .split(/(\s+)/)
    .map((word) => (word.includes('@') ? '<email>' : word))
    .join('')
    .replace(/[0-9a-f]{16,}/gi, '<hex>')
    .replace(/\d+/g, 'N')
    .slice(0, 200)
}

async function main(): Promise<void> {
  const [segmentDir, file, eventsArg, concurrencyArg, sandboxUrl] = process.argv.slice(2)
  redirectHttps(sandboxUrl)
  process.env.ACTIONS_FB_CAPI_SYSTEM_USER_TOKEN = 'EAAB-bench-segment-token'
  const modules = join(segmentDir, 'node_modules')
  // Loaded from the benchmark's own install by path, never from the product's node_modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require(join(modules, '@segment/actions-core')) as SegmentCore
  const destinationPath = join(modules, '@segment/action-destinations/dist/destinations/facebook-conversions-api')
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(destinationPath) as { default: { actions: Record<string, { fields: unknown }> } }
  const definition = loaded.default
  const destination = new core.Destination(definition)
  const subscription = {
    subscribe: 'type = "track" and event = "Order Completed"',
    partnerAction: 'purchase2',
    // action_source is required and has no default: in Segment's UI the user picks it, as here.
    // The sync mode is the action's default ('add'), stored in the mapping as Segment's UI does.
    mapping: {
      ...core.defaultValues(definition.actions.purchase2.fields),
      action_source: 'website',
      __segment_internal_sync_mode: 'add'
    }
  }
  const settings = { pixelId: '123456789012345', subscription }
  const limit = Number(eventsArg)
  const counts = { events: 0, delivered: 0, failed: 0, errors: {} as Record<string, number> }
  const inFlight = new Set<Promise<void>>()
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
  for await (const line of lines) {
    if (counts.events >= limit) break
    if (line.trim() === '') continue
    counts.events++
    const sending = destination
      .onEvent(JSON.parse(line), settings)
      .then(
        () => void counts.delivered++,
        (error: Error) => {
          counts.failed++
          const key = maskedMessage(error.message)
          counts.errors[key] = (counts.errors[key] ?? 0) + 1
        }
      )
      .finally(() => inFlight.delete(sending))
    inFlight.add(sending)
    if (inFlight.size >= Number(concurrencyArg)) await Promise.race(inFlight)
  }
  lines.close()
  await Promise.all(inFlight)
  process.stdout.write(`${JSON.stringify(counts)}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`segment child failed: ${(error as Error).stack ?? String(error)}\n`)
  process.exitCode = 1
})
