import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { firstDifference } from '../../src/conformance/diff'
import { parseFixture } from '../../src/conformance/fixture'
import { exitCodeOf, formatReport, main, runSuite } from '../../src/conformance'
import { lead, NOW, UA } from './events'

// Written by hand: sha256("user-123") is meta-capi.md §6.6 row 19.
function leadEvent(messageId: string) {
  return {
    event_name: 'Lead',
    event_time: 1795330800,
    event_id: messageId,
    action_source: 'website',
    event_source_url: 'https://shop.example.com/',
    user_data: {
      external_id: ['fcdec6df4d44dbc637c7c5b58efface52a7f8a88535423430255be0bb89bedd8'],
      client_ip_address: '203.0.113.7',
      client_user_agent: UA
    },
    custom_data: { value: 5, currency: 'USD' }
  }
}

let dir: string

function writeFixture(path: string, fixture: unknown): void {
  const file = join(dir, path)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, typeof fixture === 'string' ? fixture : JSON.stringify(fixture, null, 2))
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conformance-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('the conformance runner', () => {
  it('passes a correct fixture and fails a deliberately wrong one, with a one-line reason', async () => {
    writeFixture('area/good.json', {
      name: 'good',
      now: NOW,
      input: lead('m-1'),
      expected: { event: leadEvent('m-1') }
    })
    const wrong = leadEvent('m-2')
    wrong.custom_data.currency = 'EUR'
    writeFixture('area/nested/bad.json', { name: 'bad', now: NOW, input: lead('m-2'), expected: { event: wrong } })

    const rows = await runSuite(dir)

    expect(rows).toEqual([
      { file: 'area/good.json', name: 'good', passed: true, reason: '' },
      {
        file: 'area/nested/bad.json',
        name: 'bad',
        passed: false,
        reason: '$.event.custom_data.currency: expected "EUR" but got "USD"'
      }
    ])
    const lines = formatReport(rows)
    expect(lines.at(-1)).toBe('1 passed, 1 failed')
    expect(lines.find((line) => line.includes('bad.json'))).toMatch(/^FAIL\s+area\/nested\/bad\.json › bad\s+\$\.event/)
    expect(lines.find((line) => line.includes('good.json'))).toMatch(/^pass\s/)
    expect(exitCodeOf(rows)).toBe(1)
  })

  it('sends to the fake Graph API and compares the exact request body and Meta error classes', async () => {
    writeFixture('send-ok.json', {
      name: 'request ok',
      now: NOW,
      settings: { testEventCode: 'TEST1' },
      input: lead('m-3'),
      expected: {
        request: { data: [leadEvent('m-3')], partner_agent: 'acme-capi-plugin-1.0.0', test_event_code: 'TEST1' }
      }
    })
    writeFixture('send-missing-code.json', {
      name: 'request without the test event code it should have',
      now: NOW,
      input: lead('m-4'),
      expected: { request: { data: [leadEvent('m-4')], partner_agent: 'acme-capi-plugin-1.0.0', test_event_code: 'X' } }
    })
    writeFixture('rate-limit.json', {
      name: 'rate limit',
      now: NOW,
      metaResponse: { status: 400, body: { error: { message: 'limit', code: 613 } } },
      input: lead('m-5'),
      expected: { status: 429, retryable: true, error: 'rate limit' }
    })
    writeFixture('rate-limit-wrong.json', {
      name: 'rate limit expected as permanent',
      now: NOW,
      metaResponse: { status: 400, body: { error: { message: 'limit', code: 613 } } },
      input: lead('m-6'),
      expected: { status: 400 }
    })
    const graphUrl = process.env.META_GRAPH_URL

    const rows = await runSuite(dir)

    // Files in code-point order: rate-limit-wrong, rate-limit, send-missing-code, send-ok.
    expect(rows.map((row) => [row.name, row.passed])).toEqual([
      ['rate limit expected as permanent', false],
      ['rate limit', true],
      ['request without the test event code it should have', false],
      ['request ok', true]
    ])
    expect(rows[0].reason).toMatch(/^expected status 400 but got 429 retryable: Meta rate limit reached/)
    expect(rows[2].reason).toBe('$.request.test_event_code: missing, expected "X"')
    expect(process.env.META_GRAPH_URL).toBe(graphUrl)
  })

  it('freezes Date.now while a fixture runs and restores it afterwards', async () => {
    // A year later the event is too old; frozen at NOW it is fresh.
    writeFixture('time.json', { name: 'time', now: NOW, input: lead('m-7'), expected: { event: leadEvent('m-7') } })
    const realNow = Date.now
    const [row] = await runSuite(dir)
    expect(row.passed).toBe(true)
    expect(Date.now).toBe(realNow)
  })

  it('reports unreadable and malformed fixtures as failures, and checks one result per input', async () => {
    writeFixture('broken.json', '{ "name": ')
    writeFixture('typo.json', { name: 'typo', input: lead('m-8'), expect: { status: 200 } })
    writeFixture('count.json', {
      name: 'count',
      inputs: [lead('a'), lead('b')],
      expected: { results: [{ status: 200 }] }
    })

    const rows = await runSuite(dir)

    expect(rows.every((row) => !row.passed)).toBe(true)
    expect(rows.map((row) => row.reason)).toEqual([
      expect.stringMatching(/^invalid fixture: cannot read the fixture/),
      'invalid fixture: expected.results has 1 entries for 2 inputs',
      'invalid fixture: unknown keys: expect'
    ])
  })

  it('exits 1 with a closing line when there are no fixtures, 0 when all pass', async () => {
    const empty: string[] = []
    expect(await main([dir], (line) => empty.push(line))).toBe(1)
    expect(empty.at(-1)).toBe('0 passed, 0 failed')

    writeFixture('one.json', { name: 'one', now: NOW, input: lead('m-9'), expected: { status: 200 } })
    const printed: string[] = []
    expect(await main([dir], (line) => printed.push(line))).toBe(0)
    expect(printed.at(-1)).toBe('1 passed, 0 failed')
  })
})

describe('parseFixture', () => {
  it('infers a send for request and metaResponse expectations and a dry run otherwise', () => {
    const base = { name: 'n', input: {} }
    const run = (fixture: object) => {
      const parsed = parseFixture(fixture)
      return parsed.ok ? parsed.fixture.run : parsed.error
    }
    expect(run({ ...base, expected: { status: 200 } })).toBe('map')
    expect(run({ ...base, expected: { request: { data: [] } } })).toBe('send')
    expect(run({ ...base, metaResponse: { status: 500 }, expected: { status: 502 } })).toBe('send')
    expect(run({ ...base, run: 'map', expected: { request: {} } })).toMatch(/cannot expect one/)
    expect(run({ name: 'n', input: {}, inputs: [{}], expected: { status: 200 } })).toMatch(/exactly one of input/)
    expect(run({ ...base, expected: {} })).toBe('expected says nothing')
  })
})

describe('firstDifference', () => {
  it('names the first differing path, missing and unexpected keys, and array lengths', () => {
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBeUndefined()
    expect(firstDifference({ a: [1, { b: 3 }] }, { a: [1, { b: 2 }] })).toBe('$.a[1].b: expected 2 but got 3')
    expect(firstDifference({ a: 1, c: 2 }, { a: 1 })).toBe('$.c: unexpected 2')
    expect(firstDifference({}, { 'odd key': 1 })).toBe('$["odd key"]: missing, expected 1')
    expect(firstDifference([1, 2, 3], [1, 2])).toBe('$: expected 2 items but got 3, extra 3')
    expect(firstDifference('1', 1)).toBe('$: expected 1 but got "1"')
  })
})
