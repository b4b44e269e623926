import type { ActionDefinition } from '@segment/actions-core'
import { STANDARD_EVENTS } from '../../../lib/capi-event'
import type { GraphOptions } from '../observer'
import type { Settings } from '../settings'
import { fields } from './fields'
import type { Payload } from './payload'
import { sendEvents, toMultiStatus, toThrowable } from './send'

/** The action, sending to the Graph API `graph` names and telling its observer of every request. */
export function createSendEvent(graph: GraphOptions = {}): ActionDefinition<Settings, Payload> {
  return {
    title: 'Send Event',
    description:
      'Send any Meta standard or custom event to the Conversions API, up to 1,000 events per request, with customer information normalised and hashed.',
    fields,
    dynamicFields: {
      event_name: async () => ({
        choices: STANDARD_EVENTS.map((name) => ({ label: name, value: name }))
      })
    },
    perform: async (request, { settings, payload }) => {
      const [outcome] = await sendEvents(request, settings, [payload], graph)
      if (outcome.kind !== 'delivered') throw toThrowable(outcome)
      return { events_received: 1, fbtrace_id: outcome.fbtraceId, event: outcome.event }
    },
    performBatch: async (request, { settings, payload }) =>
      toMultiStatus(await sendEvents(request, settings, payload, graph))
  }
}

export default createSendEvent()
