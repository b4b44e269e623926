import type { ActionDefinition } from '@segment/actions-core'
import { STANDARD_EVENTS } from '../../../lib/capi-event'
import type { Settings } from '../settings'
import { fields } from './fields'
import type { Payload } from './payload'
import { sendEvents, toMultiStatus, toThrowable } from './send'

const sendEvent: ActionDefinition<Settings, Payload> = {
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
    const [outcome] = await sendEvents(request, settings, [payload])
    if (outcome.kind !== 'delivered') throw toThrowable(outcome)
    return { events_received: 1, fbtrace_id: outcome.fbtraceId, event: outcome.event }
  },
  performBatch: async (request, { settings, payload }) => toMultiStatus(await sendEvents(request, settings, payload))
}

export default sendEvent
