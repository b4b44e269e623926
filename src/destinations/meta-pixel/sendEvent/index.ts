import type { ActionDefinition } from '@segment/actions-core'
import { STANDARD_EVENTS } from '../../../lib/capi-event'
import { CONTENT_TYPES, DELIVERY_CATEGORIES } from '../../../lib/contract/meta-constants'
import type { GraphOptions } from '../observer'
import type { Settings } from '../settings'
import { fields } from './fields'
import type { Payload } from './payload'
import { sendEvents, toMultiStatus, toThrowable } from './send'

function choicesOf(values: readonly string[]) {
  return { choices: values.map((value) => ({ label: value, value })) }
}

/** The action, sending to the Graph API `graph` names and telling its observer of every request. */
export function createSendEvent(graph: GraphOptions = {}): ActionDefinition<Settings, Payload> {
  return {
    title: 'Send Event',
    description:
      'Send any Meta standard or custom event to the Conversions API, up to 1,000 events per request, with customer information normalised and hashed.',
    fields,
    // A host's UI offers these as dropdowns; they are not static choices, which actions-core would enforce as a
    // schema enum refusing the whole event (the build keeps a standard name or leaves an invalid value out instead).
    dynamicFields: {
      event_name: async () => choicesOf(STANDARD_EVENTS),
      content_type: async () => choicesOf(CONTENT_TYPES),
      delivery_category: async () => choicesOf(DELIVERY_CATEGORIES)
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
