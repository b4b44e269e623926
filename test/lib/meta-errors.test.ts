import { classifyMetaResponse, classifyNetworkError } from '../../src/lib/meta-errors'

const TOKEN = 'EAAB123secretTokenValue'
const context = { pixelId: '1234567890', secrets: [TOKEN] }

/** A Graph API error envelope, shaped like Meta's. */
function metaBody(error: Record<string, unknown>): string {
  return JSON.stringify({ error: { type: 'OAuthException', is_transient: false, ...error } })
}

describe('classifyMetaResponse', () => {
  it('treats a 613 rate limit answered with HTTP 400 as a retryable 429', () => {
    const body = metaBody({
      message: 'Calls to this api have exceeded the rate limit.',
      code: 613,
      error_subcode: 1487742,
      error_user_title: 'Too many calls',
      error_user_msg: 'There have been too many calls from this ad-account. Wait a bit and try again.',
      fbtrace_id: 'AbC613'
    })

    expect(classifyMetaResponse(400, body, context)).toEqual({
      status: 429,
      retryable: true,
      kind: 'rate_limit',
      code: 613,
      subcode: 1487742,
      fbtraceId: 'AbC613',
      message:
        'Meta rate limit reached; retry later with backoff. Meta said: Calls to this api have exceeded the rate limit: ' +
        'Too many calls: There have been too many calls from this ad-account. Wait a bit and try again. ' +
        '(code 613, subcode 1487742, fbtrace_id AbC613)'
    })
  })

  it.each([4, 17, 32, 341, 613, 80000, 80004, 80014])('treats code %i as a rate limit', (code) => {
    const classified = classifyMetaResponse(400, metaBody({ message: 'limit', code }), context)
    expect(classified).toMatchObject({ status: 429, retryable: true, kind: 'rate_limit', code })
  })

  it('treats is_transient: true as a retryable 503 whatever the code', () => {
    const body = metaBody({ message: 'Invalid parameter', code: 100, is_transient: true, fbtrace_id: 'T1' })

    expect(classifyMetaResponse(400, body, context)).toEqual({
      status: 503,
      retryable: true,
      kind: 'transient',
      code: 100,
      fbtraceId: 'T1',
      message: 'Meta reported a temporary error; retry later. Meta said: Invalid parameter (code 100, fbtrace_id T1)'
    })
  })

  it('treats code 2 (service downtime) as a retryable 503', () => {
    const body = metaBody({ message: 'Service temporarily unavailable', code: 2, fbtrace_id: 'D2' })

    expect(classifyMetaResponse(500, body, context)).toEqual({
      status: 503,
      retryable: true,
      kind: 'transient',
      code: 2,
      fbtraceId: 'D2',
      message:
        'Meta reported a temporary error; retry later. Meta said: Service temporarily unavailable (code 2, fbtrace_id D2)'
    })
  })

  it.each([
    [1, 99],
    [-2, 1234]
  ])('treats code %i (subcode %i) as a retryable internal error', (code, subcode) => {
    const body = metaBody({ message: 'An unknown error occurred', code, error_subcode: subcode })

    expect(classifyMetaResponse(400, body, context)).toEqual({
      status: 500,
      retryable: true,
      kind: 'transient',
      code,
      subcode,
      message: `Meta reported an internal, possibly temporary error; retry later. Meta said: An unknown error occurred (code ${code}, subcode ${subcode})`
    })
  })

  it('treats 368 (temporarily blocked) as a retryable 503', () => {
    const body = metaBody({ message: 'Temporarily blocked for policies violations', code: 368 })

    expect(classifyMetaResponse(400, body, context)).toEqual({
      status: 503,
      retryable: true,
      kind: 'transient',
      code: 368,
      message:
        'Meta temporarily blocked this sender for a policy violation; retry after a long delay. ' +
        'Meta said: Temporarily blocked for policies violations (code 368)'
    })
  })

  it('treats code 190 as a non-retryable 401 authentication error with guidance', () => {
    const body = metaBody({
      message: 'Error validating access token: Session has expired on Tuesday, 01-Sep-26.',
      code: 190,
      error_subcode: 463,
      fbtrace_id: 'Auth190'
    })

    expect(classifyMetaResponse(400, body, context)).toEqual({
      status: 401,
      retryable: false,
      kind: 'authentication',
      code: 190,
      subcode: 463,
      fbtraceId: 'Auth190',
      message:
        'The access token was rejected by Meta; generate a new token in Events Manager ' +
        '(Settings → Conversions API → Generate access token) and update the settings. ' +
        'Meta said: Error validating access token: Session has expired on Tuesday, 01-Sep-26. (code 190, subcode 463, fbtrace_id Auth190)'
    })
  })

  it('treats code 104 (access token required) as authentication, not a retryable unknown', () => {
    const body = metaBody({ message: 'An access token is required to request this resource.', code: 104 })
    expect(classifyMetaResponse(400, body, context)).toMatchObject({
      status: 401,
      retryable: false,
      kind: 'authentication',
      code: 104
    })
  })

  it('treats code 102 (API session) as authentication', () => {
    expect(classifyMetaResponse(400, metaBody({ message: 'Session key invalid', code: 102 }), context)).toMatchObject({
      status: 401,
      retryable: false,
      kind: 'authentication'
    })
  })

  it('treats code 200 as a non-retryable 403 permission error naming the pixel', () => {
    const body = metaBody({ message: '(#200) Permissions error', code: 200, fbtrace_id: 'P200' })

    expect(classifyMetaResponse(400, body, context)).toEqual({
      status: 403,
      retryable: false,
      kind: 'permission',
      code: 200,
      fbtraceId: 'P200',
      message:
        'This access token is not allowed to send events to pixel 1234567890; use a token generated for this pixel in Events Manager. ' +
        'Meta said: (#200) Permissions error (code 200, fbtrace_id P200)'
    })
  })

  it.each([3, 10, 299])('treats code %i as permission', (code) => {
    expect(classifyMetaResponse(400, metaBody({ message: 'nope', code }), context)).toMatchObject({
      status: 403,
      retryable: false,
      kind: 'permission'
    })
  })

  it('treats 100/33 as a configuration error that names the pixel', () => {
    const body = metaBody({
      message:
        "Unsupported post request. Object with ID '1234567890' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
      code: 100,
      error_subcode: 33,
      type: 'GraphMethodException',
      fbtrace_id: 'Cfg33'
    })

    expect(classifyMetaResponse(400, body, context)).toEqual({
      status: 400,
      retryable: false,
      kind: 'configuration',
      code: 100,
      subcode: 33,
      fbtraceId: 'Cfg33',
      message:
        "Pixel 1234567890 does not exist or this token cannot send to it; check the pixel ID and the token's access to it. " +
        "Meta said: Unsupported post request. Object with ID '1234567890' does not exist, cannot be loaded due to missing permissions, " +
        'or does not support this operation. (code 100, subcode 33, fbtrace_id Cfg33)'
    })
  })

  it('treats 100/2804050 as a non-retryable data error carrying Meta’s words and identifiers', () => {
    const body = metaBody({
      message: 'Invalid parameter',
      code: 100,
      error_subcode: 2804050,
      error_user_title: 'Customer information parameters missing',
      error_user_msg:
        'The event has no customer information parameters or a combination so broad that it cannot be matched.',
      fbtrace_id: 'AsuData'
    })

    const classified = classifyMetaResponse(400, body, context)

    expect(classified).toEqual({
      status: 400,
      retryable: false,
      kind: 'data',
      code: 100,
      subcode: 2804050,
      fbtraceId: 'AsuData',
      message:
        'Invalid parameter: Customer information parameters missing: The event has no customer information parameters ' +
        'or a combination so broad that it cannot be matched. (code 100, subcode 2804050, fbtrace_id AsuData)'
    })
    expect(classified.message).toContain(
      'The event has no customer information parameters or a combination so broad that it cannot be matched.'
    )
  })

  it("reads the element index from $['data'][17] in error_user_msg", () => {
    const body = metaBody({
      message: 'Invalid parameter',
      code: 100,
      error_subcode: 2804019,
      error_user_title: 'Invalid parameter',
      error_user_msg: "The parameter $['data'][17]['custom_data']['contents'] must be an array.",
      fbtrace_id: 'Idx17'
    })

    expect(classifyMetaResponse(400, body, context)).toEqual({
      status: 400,
      retryable: false,
      kind: 'data',
      code: 100,
      subcode: 2804019,
      fbtraceId: 'Idx17',
      eventIndex: 17,
      message:
        "Invalid parameter: The parameter $['data'][17]['custom_data']['contents'] must be an array. (code 100, subcode 2804019, fbtrace_id Idx17)"
    })
  })

  it.each([
    ['$["data"][3]["event_time"] is too old', 3],
    ['Invalid value at data[4].user_data', 4],
    ['$.data[5].event_name is required', 5],
    ["data['6'] is malformed", 6]
  ])('reads the element index from the message "%s"', (message, eventIndex) => {
    const classified = classifyMetaResponse(400, metaBody({ message, code: 100 }), context)
    expect(classified.eventIndex).toBe(eventIndex)
  })

  it('leaves eventIndex out when Meta names no element', () => {
    const classified = classifyMetaResponse(400, metaBody({ message: 'Invalid parameter', code: 100 }), context)
    expect(classified).not.toHaveProperty('eventIndex')
  })

  it('treats an HTML page on HTTP 502 as a retryable 502', () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>'

    expect(classifyMetaResponse(502, html, context)).toEqual({
      status: 502,
      retryable: true,
      kind: 'transient',
      message:
        'Meta answered HTTP 502 with an HTML page ("502 Bad Gateway") instead of a JSON error; treating it as a temporary outage.'
    })
  })

  it('treats an empty body on HTTP 500 as a retryable 502', () => {
    expect(classifyMetaResponse(500, '', context)).toEqual({
      status: 502,
      retryable: true,
      kind: 'transient',
      message: 'Meta answered HTTP 500 with an empty body; treating it as a temporary outage.'
    })
  })

  it('treats a garbled body as a retryable 502 and quotes the start of it', () => {
    expect(classifyMetaResponse(400, '{"error": {"code": 10', context)).toEqual({
      status: 502,
      retryable: true,
      kind: 'transient',
      message:
        'Meta answered HTTP 400 with a body that is not JSON ("{"error": {"code": 10"); treating it as a temporary outage.'
    })
  })

  it('treats JSON without an error envelope on a 5xx as a retryable 500', () => {
    expect(classifyMetaResponse(503, '{"status":"down"}', context)).toEqual({
      status: 500,
      retryable: true,
      kind: 'transient',
      message: 'Meta answered HTTP 503 without Meta\'s error envelope ("{"status":"down"}"); treating it as retryable.'
    })
  })

  it('treats an unknown code as a retryable 500 of kind unknown', () => {
    const body = metaBody({ message: 'Something new', code: 12345, fbtrace_id: 'New1' })

    expect(classifyMetaResponse(400, body, context)).toEqual({
      status: 500,
      retryable: true,
      kind: 'unknown',
      code: 12345,
      fbtraceId: 'New1',
      message:
        'Meta returned an error this destination does not recognise; treating it as retryable. Meta said: Something new (code 12345, fbtrace_id New1)'
    })
  })

  it('treats HTTP 429 without a Meta body as a rate limit', () => {
    expect(classifyMetaResponse(429, '', context)).toMatchObject({ status: 429, retryable: true, kind: 'rate_limit' })
  })

  it('accepts a code sent as a numeric string', () => {
    expect(classifyMetaResponse(400, metaBody({ message: 'bad token', code: '190' }), context)).toMatchObject({
      status: 401,
      kind: 'authentication',
      code: 190
    })
  })

  it('is defensive when handed a success', () => {
    expect(classifyMetaResponse(200, '{"events_received":1}', context)).toMatchObject({
      status: 500,
      retryable: true,
      kind: 'unknown'
    })
  })

  it('redacts the access token when Meta echoes it', () => {
    const body = metaBody({ message: `Malformed access token ${TOKEN}`, code: 190, fbtrace_id: 'Echo' })

    const classified = classifyMetaResponse(400, body, context)

    expect(classified.message).not.toContain(TOKEN)
    expect(classified.message).toContain('Meta said: Malformed access token [redacted] (code 190, fbtrace_id Echo)')
  })

  it('redacts a token in a garbled body and token-shaped text nobody listed', () => {
    const garbage = `oops https://graph.facebook.com/v25.0/1/events?access_token=${TOKEN}&x=1 EAAGm0PX4ZCpsBAabcdefghijklmnopqrstuv`

    const classified = classifyMetaResponse(500, garbage, { pixelId: '1' })

    expect(classified.message).not.toContain(TOKEN)
    expect(classified.message).not.toContain('EAAGm0PX4ZCpsBA')
    expect(classified.message).toContain('access_token=[redacted]&x=1 [redacted]')
  })
})

describe('classifyNetworkError', () => {
  it('treats a connection reset as retryable', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })

    expect(classifyNetworkError(reset)).toEqual({
      status: 500,
      retryable: true,
      kind: 'transient',
      message:
        'Could not reach Meta (ECONNRESET: read ECONNRESET). Resending the events is safe because Meta deduplicates by event_id.'
    })
  })

  it('follows the cause of a failed fetch', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND graph.facebook.com'), { code: 'ENOTFOUND' })
    const fetchFailed = new TypeError('fetch failed', { cause: dns })

    expect(classifyNetworkError(fetchFailed).message).toBe(
      'Could not reach Meta (TypeError: fetch failed; caused by ENOTFOUND: getaddrinfo ENOTFOUND graph.facebook.com). ' +
        'Resending the events is safe because Meta deduplicates by event_id.'
    )
  })

  it('treats an AbortError as a retryable 504 timeout', () => {
    const aborted = new DOMException('This operation was aborted', 'AbortError')

    expect(classifyNetworkError(aborted)).toEqual({
      status: 504,
      retryable: true,
      kind: 'transient',
      message:
        'Meta did not answer in time (AbortError: This operation was aborted). The events may or may not have been received; ' +
        'resending them is safe because Meta deduplicates by event_id.'
    })
  })

  it('treats a TimeoutError and a RequestTimeoutError as retryable 504s', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError')
    class RequestTimeoutError extends Error {
      override name = 'RequestTimeoutError'
    }

    expect(classifyNetworkError(timeout)).toMatchObject({ status: 504, retryable: true, kind: 'transient' })
    expect(classifyNetworkError(new RequestTimeoutError('timed out'))).toMatchObject({ status: 504, retryable: true })
  })

  it('treats an undici connect timeout wrapped in "fetch failed" as a timeout', () => {
    const cause = Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' })

    expect(classifyNetworkError(new TypeError('fetch failed', { cause }))).toMatchObject({
      status: 504,
      retryable: true
    })
  })

  it('copes with things that are not errors', () => {
    expect(classifyNetworkError('socket hang up')).toMatchObject({
      status: 500,
      retryable: true,
      message: expect.stringContaining('(socket hang up)')
    })
    expect(classifyNetworkError(undefined)).toMatchObject({ status: 500, retryable: true })
  })

  it('redacts secrets from the thrown message', () => {
    const error = new Error(`request to https://graph.facebook.com/v25.0/1/events?access_token=${TOKEN} failed`)

    expect(classifyNetworkError(error, { secrets: [TOKEN] }).message).not.toContain(TOKEN)
    expect(classifyNetworkError(error).message).not.toContain(TOKEN)
  })
})
