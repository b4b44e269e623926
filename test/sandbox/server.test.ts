import { FormData, fetch, request } from 'undici'
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox'
import { EM_HASH, NOW_MS, validLead, validPurchase } from './fixtures'

const TOKEN = 'EAAGsandboxSECRETtoken123'
const PIXEL = '1234567890'

let sandbox: Sandbox

async function start(options: SandboxOptions = {}) {
  sandbox = await startSandbox({ now: () => NOW_MS, ...options })
  return sandbox
}

afterEach(async () => {
  await sandbox?.close()
})

function eventsUrl(pixel = PIXEL, version = 'v26.0') {
  return `${sandbox.url}/${version}/${pixel}/events`
}

/** `token: null` sends no Authorization header at all. */
async function postJson(body: unknown, { token = TOKEN as string | null, url = eventsUrl() } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token !== null) headers.authorization = `Bearer ${token}`
  const res = await request(url, { method: 'POST', headers, body: JSON.stringify(body) })
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) }
}

async function getText(url: string) {
  const res = await request(url)
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() }
}

describe('POST /{version}/{pixel}/events', () => {
  it('accepts a valid batch and stores each event with pixel, test_event_code and partner_agent', async () => {
    await start()
    const data = [validPurchase(), validLead()]
    const res = await postJson({ data, test_event_code: 'TEST4242', partner_agent: 'acme-capi-1.0.0' })
    expect(res.status).toBe(200)
    expect(res.json()).toEqual({ events_received: 2, messages: [], fbtrace_id: expect.any(String) })
    expect(res.headers['x-fb-trace-id']).toBe(res.json().fbtrace_id)
    expect(sandbox.received()).toEqual(
      data.map((event) => ({
        pixelId: PIXEL,
        testEventCode: 'TEST4242',
        partnerAgent: 'acme-capi-1.0.0',
        receivedAt: NOW_MS,
        event
      }))
    )
    expect(sandbox.requests()).toBe(1)
    expect(sandbox.rejected()).toEqual([])
  })

  it('accepts a form-urlencoded body with data as a JSON string and the token in the body', async () => {
    await start({ accessTokens: [TOKEN] })
    const form = new URLSearchParams({
      data: JSON.stringify([validLead()]),
      access_token: TOKEN,
      test_event_code: 'T1'
    })
    const res = await request(eventsUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString()
    })
    expect(res.statusCode).toBe(200)
    expect(await res.body.json()).toMatchObject({ events_received: 1 })
    expect(sandbox.received()[0]).toMatchObject({ testEventCode: 'T1', event: validLead() })
  })

  it('accepts multipart form fields, as `curl -F` sends them', async () => {
    await start({ accessTokens: [TOKEN] })
    const form = new FormData()
    form.append('data', JSON.stringify([validLead()]))
    form.append('access_token', TOKEN)
    const res = await fetch(eventsUrl(), { method: 'POST', body: form })
    expect(res.status).toBe(200)
    expect(sandbox.received()).toHaveLength(1)
  })

  it('accepts the token in the query string', async () => {
    await start({ accessTokens: [TOKEN] })
    const res = await postJson({ data: [validLead()] }, { token: null, url: `${eventsUrl()}?access_token=${TOKEN}` })
    expect(res.status).toBe(200)
  })

  it('accepts an ISO-8601 event_time as Meta does (Segment sends its timestamp so) and keeps it as sent', async () => {
    await start()
    const data = [validLead({ event_time: '2026-11-22T11:59:00.000Z' })]
    const res = await postJson({ data })
    expect(res.json()).toEqual({ events_received: 1, messages: [], fbtrace_id: expect.any(String) })
    expect(sandbox.received()).toEqual([{ pixelId: PIXEL, receivedAt: NOW_MS, event: data[0] }])
  })

  it('refuses a request whose event_time is a string that is not an ISO-8601 date-time', async () => {
    await start()
    const res = await postJson({ data: [validLead(), validLead({ event_time: '22/11/2026 11:59' })] })
    expect(res.status).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 100,
      error_subcode: 2804008,
      error_user_title: 'Invalid Event Time',
      error_user_msg:
        "The parameter $['data'][1]['event_time'] is required and must be an integer Unix timestamp in seconds."
    })
    expect(sandbox.received()).toEqual([])
  })

  it('uses the injected clock for the event_time window', async () => {
    await start({ now: () => NOW_MS + 8 * 86400 * 1000 })
    const res = await postJson({ data: [validLead()] })
    expect(res.json().error).toMatchObject({ code: 100, error_subcode: 2804003 })
  })

  it.each([
    ['an unknown token', { token: 'EAAGwrong' }],
    ['no token', { token: null }]
  ])('rejects %s with code 190 and never echoes it', async (_name, opts) => {
    await start({ accessTokens: [TOKEN] })
    const res = await postJson({ data: [validLead()] }, opts)
    expect(res.status).toBe(400)
    expect(res.json()).toEqual({
      error: {
        message: 'Invalid OAuth access token - Cannot parse access token',
        type: 'OAuthException',
        code: 190,
        is_transient: false,
        fbtrace_id: expect.any(String)
      }
    })
    expect(res.text).not.toContain('EAAGwrong')
    expect(sandbox.received()).toEqual([])
    expect(sandbox.rejected()).toEqual([
      { pixelId: PIXEL, receivedAt: NOW_MS, status: 400, error: res.json().error, eventCount: 1 }
    ])
  })

  it('rejects an empty Bearer token even when any token is accepted', async () => {
    await start()
    const res = await postJson({ data: [validLead()] }, { token: '' })
    expect(res.json().error.code).toBe(190)
  })

  it('rejects an unknown pixel with code 100 / subcode 33', async () => {
    await start({ pixelIds: [PIXEL] })
    const res = await postJson({ data: [validLead()] }, { url: eventsUrl('999') })
    expect(res.status).toBe(400)
    expect(res.json().error).toMatchObject({ code: 100, error_subcode: 33, type: 'OAuthException' })
    expect(res.json().error.message).toMatch(/^Unsupported post request\. Object with ID '999' does not exist/)
  })

  it('rejects a non-numeric pixel id when no pixel list is configured', async () => {
    await start()
    const res = await postJson({ data: [validLead()] }, { url: eventsUrl('my-pixel') })
    expect(res.json().error).toMatchObject({ code: 100, error_subcode: 33 })
  })

  it.each(['v26', 'latest', 'v26.1'])('rejects the API version %s', async (version) => {
    await start()
    const res = await postJson({ data: [validLead()] }, { url: eventsUrl(PIXEL, version) })
    expect(res.status).toBe(400)
    expect(res.json().error).toMatchObject({ code: 100, message: `Unknown API version: ${version}` })
  })

  it('rejects 1001 events with code 100 naming the limit', async () => {
    await start()
    const res = await postJson({ data: Array.from({ length: 1001 }, () => validLead()) })
    expect(res.status).toBe(400)
    expect(res.json().error).toMatchObject({ code: 100 })
    expect(res.json().error.message).toContain('at most 1000 events')
    expect(sandbox.rejected()[0].eventCount).toBe(1001)
  })

  it('rejects the whole request when event 17 of 20 is invalid, and stores nothing', async () => {
    await start()
    const data = Array.from({ length: 20 }, (_, i) => validLead({ event_id: `e${i}` }))
    data[17] = validLead({ user_data: { em: EM_HASH, ct: 'menlo park' } })
    const res = await postJson({ data })
    expect(res.status).toBe(400)
    expect(res.json().error).toMatchObject({
      message: 'Invalid parameter',
      code: 100,
      error_subcode: 2804016,
      is_transient: false,
      error_user_msg: expect.stringContaining("The parameter $['data'][17]['user_data']['ct'] isn't hashed")
    })
    expect(sandbox.received()).toEqual([])
    expect(sandbox.rejected()).toHaveLength(1)
    expect(sandbox.rejected()[0]).toMatchObject({ status: 400, eventCount: 20 })
  })

  it('rejects malformed JSON with code 100', async () => {
    await start()
    const res = await request(eventsUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: '{"data": [ {'
    })
    expect(res.statusCode).toBe(400)
    expect((await res.body.json()) as unknown).toMatchObject({
      error: { code: 100, message: expect.stringMatching(/Invalid JSON/) }
    })
  })

  it('rejects a form field data that is not JSON', async () => {
    await start()
    const res = await request(eventsUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `data=not-json&access_token=${TOKEN}`
    })
    expect(res.statusCode).toBe(400)
    expect(((await res.body.json()) as { error: { code: number } }).error.code).toBe(100)
  })

  it('answers 413 above the configured body limit', async () => {
    await start({ maxBodyBytes: 2000 })
    const res = await postJson({ data: Array.from({ length: 20 }, () => validPurchase()) })
    expect(res.status).toBe(413)
    expect(res.json().error).toMatchObject({ code: 100 })
    expect(sandbox.received()).toEqual([])
  })

  it('answers 413 above the default 10 MB', async () => {
    await start()
    const res = await postJson({ data: [validLead({ padding: 'x'.repeat(10 * 1024 * 1024) })] })
    expect(res.status).toBe(413)
  })
})

describe('faults', () => {
  it('rate_limit defaults to code 613 with Meta’s message, is_transient and a usage header', async () => {
    await start()
    sandbox.injectFaults({ kind: 'rate_limit' })
    const res = await postJson({ data: [validLead()] })
    expect(res.status).toBe(400)
    expect(res.json()).toEqual({
      error: {
        message: '(#613) Calls to this api have exceeded the rate limit.',
        type: 'OAuthException',
        code: 613,
        is_transient: true,
        fbtrace_id: expect.any(String)
      }
    })
    expect(JSON.parse(res.headers['x-app-usage'] as string)).toMatchObject({ call_count: 100 })
  })

  it.each([
    [4, '(#4) Application request limit reached'],
    [17, '(#17) User request limit reached'],
    [32, '(#32) Page request limit reached']
  ])('rate_limit code %d says %s', async (code, message) => {
    await start()
    sandbox.injectFaults({ kind: 'rate_limit', code })
    const res = await postJson({ data: [validLead()] })
    expect(res.json().error).toMatchObject({ code, message, is_transient: true })
  })

  it('rate_limit 80004 carries subcode 2446079 and a business-use-case header', async () => {
    await start()
    sandbox.injectFaults({ kind: 'rate_limit', code: 80004 })
    const res = await postJson({ data: [validLead()] })
    expect(res.json().error).toMatchObject({ code: 80004, error_subcode: 2446079, is_transient: true })
    const usage = JSON.parse(res.headers['x-business-use-case-usage'] as string)
    expect(usage[PIXEL][0]).toMatchObject({ type: 'ads_management', estimated_time_to_regain_access: 0 })
  })

  it('server_error defaults to HTTP 500 with a transient code 2 body', async () => {
    await start()
    sandbox.injectFaults({ kind: 'server_error' })
    const res = await postJson({ data: [validLead()] })
    expect(res.status).toBe(500)
    expect(res.json().error).toMatchObject({ code: 2, is_transient: true, type: 'OAuthException' })
  })

  it('server_error uses the given status', async () => {
    await start()
    sandbox.injectFaults({ kind: 'server_error', status: 503 })
    expect((await postJson({ data: [validLead()] })).status).toBe(503)
  })

  it('slow waits, then processes normally', async () => {
    await start()
    sandbox.injectFaults({ kind: 'slow', delayMs: 300 })
    const started = Date.now()
    const res = await postJson({ data: [validLead()] })
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect(res.status).toBe(200)
    expect(sandbox.received()).toHaveLength(1)
  })

  it('drop closes the connection without an answer', async () => {
    await start()
    sandbox.injectFaults({ kind: 'drop' })
    await expect(postJson({ data: [validLead()] })).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' })
    expect(sandbox.requests()).toBe(1)
  })

  it('html answers 502 with an HTML body', async () => {
    await start()
    sandbox.injectFaults({ kind: 'html' })
    const res = await postJson({ data: [validLead()] })
    expect(res.status).toBe(502)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.text).toContain('<h1>502 Bad Gateway</h1>')
  })

  it('consumes faults in order, honours count, stores nothing for faulted requests', async () => {
    await start()
    sandbox.injectFaults({ kind: 'server_error', status: 502, count: 2 }, { kind: 'rate_limit', code: 17 })
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await postJson({ data: [validLead({ event_id: `e${i}` })] })).status)
    expect(statuses).toEqual([502, 502, 400, 200])
    expect(sandbox.received().map((r) => r.event.event_id)).toEqual(['e3'])
    expect(sandbox.rejected()).toEqual([])
    expect(sandbox.requests()).toBe(4)
  })

  it('close() does not wait for a slow request', async () => {
    await start()
    sandbox.injectFaults({ kind: 'slow', delayMs: 60_000 })
    const pending = postJson({ data: [validLead()] }).catch((error: unknown) => error)
    while (sandbox.requests() === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    const started = Date.now()
    await sandbox.close()
    expect(Date.now() - started).toBeLessThan(5000)
    expect(await pending).toBeInstanceOf(Error)
    expect(sandbox.received()).toEqual([])
  })
})

describe('the answer hook', () => {
  it('answers an events request as scripted, JSON or text, after seeing its body as sent and parsed, and stores nothing', async () => {
    const seen: unknown[] = []
    const answers = [
      { status: 403, body: { error: { message: 'Permissions error', code: 10, fbtrace_id: 'T1' } } },
      { status: 502, headers: { 'x-proxy': 'edge' }, body: '<html><title>502 Bad Gateway</title></html>' },
      { status: 500 }
    ]
    await start({
      answer: (request) => {
        seen.push(request)
        return answers.shift()
      }
    })
    const body = { data: [validLead()], test_event_code: 'TEST1' }

    const envelope = await postJson(body)
    const html = await postJson(body)
    const empty = await postJson(body)

    expect([envelope.status, envelope.headers['content-type'], envelope.text]).toEqual([
      403,
      'application/json; charset=utf-8',
      '{"error":{"message":"Permissions error","code":10,"fbtrace_id":"T1"}}'
    ])
    expect([html.status, html.headers['content-type'], html.headers['x-proxy'], html.text]).toEqual([
      502,
      'text/html; charset=utf-8',
      'edge',
      '<html><title>502 Bad Gateway</title></html>'
    ])
    expect([empty.status, empty.headers['content-type'], empty.text]).toEqual([500, undefined, ''])
    const raw = JSON.stringify(body)
    expect(seen).toEqual(Array(3).fill({ method: 'POST', path: `/v26.0/${PIXEL}/events`, pixelId: PIXEL, body, raw }))
    expect(sandbox.received()).toEqual([])
    expect(sandbox.requests()).toBe(3)
  })

  it('lets the sandbox check and answer as Meta does when it answers nothing', async () => {
    await start({ answer: () => undefined })

    const valid = await postJson({ data: [validLead()] })
    const invalid = await postJson({ data: [{ ...validLead(), event_name: '' }] })

    expect(valid.status).toBe(200)
    expect(valid.json()).toMatchObject({ events_received: 1 })
    expect(invalid.status).toBe(400)
    expect(invalid.json().error.code).toBe(100)
    expect(sandbox.received()).toHaveLength(1)
  })

  it('holds a request until its promise settles, then answers', async () => {
    let letGo = () => {}
    const held = new Promise<void>((resolve) => (letGo = resolve))
    let arrived = () => {}
    const arrival = new Promise<void>((resolve) => (arrived = resolve))
    await start({
      answer: async () => {
        arrived()
        await held
        return undefined
      }
    })
    let answered = false
    const pending = postJson({ data: [validLead()] }).then((res) => {
      answered = true
      return res
    })

    await arrival
    expect(answered).toBe(false)
    expect(sandbox.received()).toEqual([])
    letGo()

    expect((await pending).status).toBe(200)
    expect(sandbox.received()).toHaveLength(1)
  })

  it('answers a pixel read as scripted, and comes after a queued fault', async () => {
    const seen: unknown[] = []
    await start({
      answer: (request) => {
        seen.push(request)
        return { status: 400, body: { error: { message: 'limit', code: 17 } } }
      }
    })
    sandbox.injectFaults({ kind: 'server_error' })

    const read = await getText(`${sandbox.url}/v26.0/${PIXEL}?fields=id,name`)
    const faulted = await postJson({ data: [validLead()] })

    expect([read.status, read.text]).toEqual([400, '{"error":{"message":"limit","code":17}}'])
    expect(faulted.status).toBe(500)
    expect(seen).toEqual([{ method: 'GET', path: `/v26.0/${PIXEL}`, pixelId: PIXEL }])
  })
})

describe('GET /{version}/{pixel} (authentication test)', () => {
  it('returns the pixel id and name', async () => {
    await start({ accessTokens: [TOKEN], pixelIds: [PIXEL] })
    const res = await request(`${sandbox.url}/v26.0/${PIXEL}?fields=id,name`, {
      headers: { authorization: `Bearer ${TOKEN}` }
    })
    expect(res.statusCode).toBe(200)
    expect(await res.body.json()).toEqual({ id: PIXEL, name: `Sandbox Pixel ${PIXEL}` })
  })

  it('honours fields and the access_token query parameter', async () => {
    await start({ accessTokens: [TOKEN] })
    const res = await getText(`${sandbox.url}/v25.0/${PIXEL}?fields=id&access_token=${TOKEN}`)
    expect(JSON.parse(res.text)).toEqual({ id: PIXEL })
  })

  it('rejects unknown fields with code 100', async () => {
    await start()
    const res = await request(`${sandbox.url}/v26.0/${PIXEL}?fields=id,secret`, {
      headers: { authorization: `Bearer ${TOKEN}` }
    })
    expect(res.statusCode).toBe(400)
    expect(((await res.body.json()) as { error: { code: number } }).error.code).toBe(100)
  })

  it('rejects a bad token with 190 and an unknown pixel with 100/33', async () => {
    await start({ accessTokens: [TOKEN], pixelIds: [PIXEL] })
    const badToken = await getText(`${sandbox.url}/v26.0/${PIXEL}?fields=id,name&access_token=nope`)
    expect(JSON.parse(badToken.text).error).toMatchObject({ code: 190 })
    const badPixel = await getText(`${sandbox.url}/v26.0/42?fields=id,name&access_token=${TOKEN}`)
    expect(JSON.parse(badPixel.text).error).toMatchObject({ code: 100, error_subcode: 33 })
    expect(JSON.parse(badPixel.text).error.message).toMatch(/^Unsupported get request\./)
    expect(sandbox.requests()).toBe(0)
  })
})

describe('control endpoints', () => {
  it('GET /__sandbox/events reports received, rejected and the request count', async () => {
    await start({ pixelIds: [PIXEL] })
    await postJson({ data: [validLead()] })
    await postJson({ data: [validLead()] }, { url: eventsUrl('42') })
    const res = await getText(`${sandbox.url}/__sandbox/events`)
    const body = JSON.parse(res.text)
    expect(body.requests).toBe(2)
    expect(body.received).toEqual(sandbox.received())
    expect(body.rejected).toEqual(sandbox.rejected())
  })

  it('POST /__sandbox/faults queues faults for the next /events requests', async () => {
    await start()
    const res = await request(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify([{ kind: 'rate_limit', code: 4 }, { kind: 'html' }])
    })
    expect(await res.body.json()).toEqual({ queued: 2, pending: 2 })
    expect((await postJson({ data: [validLead()] })).json().error.code).toBe(4)
    expect((await postJson({ data: [validLead()] })).status).toBe(502)
    expect((await postJson({ data: [validLead()] })).status).toBe(200)
  })

  it.each([['not json'], ['[{"kind":"meteor"}]'], ['[{"kind":"slow","delayMs":-1}]'], ['[{"kind":"drop","count":0}]']])(
    'POST /__sandbox/faults refuses %s',
    async (body) => {
      await start()
      const res = await request(`${sandbox.url}/__sandbox/faults`, { method: 'POST', body })
      expect(res.statusCode).toBe(400)
      await res.body.dump()
      expect((await postJson({ data: [validLead()] })).status).toBe(200)
    }
  )

  it('POST /__sandbox/reset clears events, rejections, the count and pending faults', async () => {
    await start()
    await postJson({ data: [validLead()] })
    await postJson({ data: [] })
    sandbox.injectFaults({ kind: 'html' })
    const res = await request(`${sandbox.url}/__sandbox/reset`, { method: 'POST' })
    expect(res.statusCode).toBe(200)
    await res.body.dump()
    expect(sandbox.received()).toEqual([])
    expect(sandbox.rejected()).toEqual([])
    expect(sandbox.requests()).toBe(0)
    expect((await postJson({ data: [validLead()] })).status).toBe(200)
  })

  it('reset() does the same in-process', async () => {
    await start()
    await postJson({ data: [validLead()] })
    sandbox.reset()
    expect(sandbox.received()).toEqual([])
    expect(sandbox.requests()).toBe(0)
  })

  it('returns copies, so callers cannot change what was recorded', async () => {
    await start()
    await postJson({ data: [validLead()] })
    sandbox.received()[0].event.event_name = 'Tampered'
    expect(sandbox.received()[0].event.event_name).toBe('Lead')
  })
})

describe('GET / (test events page)', () => {
  it('lists every event in /__sandbox/view, a test-code event apart from the live resend, and never the token', async () => {
    await start({ accessTokens: [TOKEN] })
    await postJson({ data: [validPurchase({ event_id: 'o-1' }), validLead()], test_event_code: 'TEST77' })
    await postJson({ data: [validPurchase({ event_id: 'o-1' })] })
    await postJson({ data: [validPurchase({ event_id: 'o-1' })] })
    await postJson({ data: [validLead()] }, { token: 'EAAGleakedToken' })
    await postJson({ data: [validLead({ user_data: { em: 'john@example.com' } })], access_token: TOKEN })
    const page = await getText(`${sandbox.url}/?access_token=${TOKEN}`)
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    const view = await getText(`${sandbox.url}/__sandbox/view`)
    const { rows, rejected } = JSON.parse(view.text) as {
      rows: { eventName: string; status: string; testEventCode: string }[]
      rejected: unknown[]
    }
    expect(rows.map((row) => [row.eventName, row.status, row.testEventCode])).toEqual([
      ['Purchase', 'deduplicated', ''],
      ['Purchase', 'received', ''],
      ['Lead', 'received', 'TEST77'],
      ['Purchase', 'received', 'TEST77']
    ])
    expect(rejected).toHaveLength(2)
    for (const secret of [TOKEN, 'EAAGleakedToken', 'john@example.com']) {
      expect(page.text).not.toContain(secret)
      expect(view.text).not.toContain(secret)
    }
  })

  it('binds to loopback only', async () => {
    await start()
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('answers unknown paths with Graph’s code 2500', async () => {
    await start()
    const res = await getText(`${sandbox.url}/v26.0/${PIXEL}/events/extra`)
    expect(res.status).toBe(400)
    expect(JSON.parse(res.text).error).toMatchObject({ code: 2500 })
  })
})
