/**
 * The definition as the engine runs it: the destination's own, with each request gated by the run's request slots
 * and given the service's timeout, or stopped short of the request for a dry run. Nothing here changes what is sent.
 */
import type { DestinationDefinition, RequestClient } from '@segment/actions-core'
import type { Settings } from '../destinations/meta-pixel'
import { buildEvents, toMultiStatus } from '../destinations/meta-pixel/sendEvent/send'
import type { RequestSlots } from './request-slots'

type SendEventAction = DestinationDefinition<Settings>['actions'][string]

function withPerformBatch(
  definition: DestinationDefinition<Settings>,
  performBatch: NonNullable<SendEventAction['performBatch']>
): DestinationDefinition<Settings> {
  return { ...definition, actions: { sendEvent: { ...definition.actions.sendEvent, performBatch } } }
}

// A dry run goes through the same definition and actions-core pipeline as a send; only performBatch stops short.
export function dryRunDefinition(definition: DestinationDefinition<Settings>): DestinationDefinition<Settings> {
  return withPerformBatch(definition, (_request, { settings, payload }) =>
    toMultiStatus(buildEvents(settings, payload))
  )
}

// Every request the action makes waits for a slot, so the total in flight is the run's concurrency, whatever
// delivery's own parallelism or bad-event isolation does underneath.
export function withRequestSlots(
  definition: DestinationDefinition<Settings>,
  slots: RequestSlots
): DestinationDefinition<Settings> {
  const performBatch = definition.actions.sendEvent.performBatch
  if (!performBatch) throw new Error('the sendEvent action has no performBatch')
  return withPerformBatch(definition, (request, data) => {
    const gated = ((url: string, options?: Parameters<RequestClient>[1]) =>
      slots.run(() => request(url, options))) as RequestClient
    return performBatch(gated, data)
  })
}

// actions-core applies `timeout` from extendRequest to every request the destination makes.
export function withRequestTimeout(
  base: DestinationDefinition<Settings>,
  timeoutMs: number | undefined
): DestinationDefinition<Settings> {
  if (timeoutMs === undefined) return base
  const extendRequest: DestinationDefinition<Settings>['extendRequest'] = (data) => ({
    ...base.extendRequest?.(data),
    timeout: timeoutMs
  })
  return { ...base, extendRequest }
}
