import { Engine } from '../runner/engine'
import { messageOf, UsageError } from './errors'

/**
 * Requests to Meta in flight at once. 1, because actions-core's response middleware calls `agent.destroy()` on the
 * request's agent after every response, and the destination shares one keep-alive agent: a second request in
 * flight on that agent has its socket destroyed under it ("socket hang up") and must be retried.
 */
export const DEFAULT_CONCURRENCY = 1

/** The runner's engine; settings it rejects are a configuration error (exit 2). */
export function createEngine(...args: ConstructorParameters<typeof Engine>): Engine {
  try {
    return new Engine(...args)
  } catch (error) {
    throw new UsageError(`invalid settings: ${messageOf(error)}`)
  }
}
