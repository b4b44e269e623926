import { request } from 'undici'
import { startSandbox, type Sandbox } from '../../src/sandbox'
import { NOW_MS, validLead, validPurchase } from './fixtures'

const PIXEL = '1234567890'

let sandbox: Sandbox | undefined

afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

async function post(target: Sandbox, body: unknown) {
  const res = await request(`${target.url}/v26.0/${PIXEL}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer EAAGtoken' },
    body: JSON.stringify(body)
  })
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> }
}

describe('keepEvents', () => {
  it('stores accepted events by default', async () => {
    sandbox = await startSandbox({ now: () => NOW_MS })
    await post(sandbox, { data: [validPurchase()] })
    expect(sandbox.received()).toHaveLength(1)
  })

  it('when false, validates and answers as usual, counts requests, and stores no events', async () => {
    sandbox = await startSandbox({ now: () => NOW_MS, keepEvents: false })
    const accepted = await post(sandbox, { data: [validPurchase(), validLead()] })
    expect(accepted).toEqual({
      status: 200,
      json: { events_received: 2, messages: [], fbtrace_id: expect.any(String) }
    })
    const refused = await post(sandbox, { data: [validPurchase({ event_name: '' })] })
    expect(refused.status).toBe(400)
    expect(sandbox.requests()).toBe(2)
    expect(sandbox.received()).toEqual([])
    expect(sandbox.rejected()).toHaveLength(1)
  })
})
