import nock from 'nock'
import { Destination } from '@segment/actions-core'
import definition from '../../../src'
import {
  ACCESS_TOKEN,
  EVENTS_PATH,
  GRAPH,
  presetSubscription,
  referenceOrderCompleted,
  referenceRequestBody,
  settings,
  atFrozenTimeWithoutNetwork
} from '../../helpers'

atFrozenTimeWithoutNetwork()

it('sends the reference Order Completed exactly as meta-capi.md §12 prints the request', async () => {
  let body: unknown
  let authorization: string | undefined
  nock(GRAPH)
    .post(EVENTS_PATH, (sent) => ((body = sent), true))
    .reply(function () {
      authorization = this.req.headers.authorization
      return [200, { events_received: 1, messages: [], fbtrace_id: 'AbC123' }]
    })
  const destination = new Destination(definition)
  const subscription = presetSubscription(definition.presets, 'Purchase')

  const results = await destination.onEvent(referenceOrderCompleted(), { ...settings, subscription })

  expect(body).toEqual(referenceRequestBody)
  expect(authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
  expect(results.at(-1)).toMatchObject({ output: 'Action Executed' })
})
