import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { detectAmplitudeFormat, type AmplitudeFormat } from '../../src/lib/amplitude'
import { serverEventOf } from '../../src/lib/capi-event'
import type { ServerEvent } from '../../src/lib/capi-event'
import type { RunnerConfig } from '../../src/runner/config'
import { Engine, type EventResult } from '../../src/runner/engine'
import { settings } from '../helpers'

/**
 * Issue acceptance "Amplitude events: both Amplitude formats in, the same CAPI events out".
 * Data-driven: every conformance/fixtures/amplitude/*.json is one case, mapped by the dry run (adapter → presets →
 * actions-core mapping and validation → CAPI event builder) and compared with the exact server event Meta receives.
 * File names say the input format: `http-v2-<case>.json` or `export-<case>.json`. A case present in both formats must
 * expect the same outcome, since both forms of one Amplitude event must give the same CAPI event.
 */

type Expected = { event: ServerEvent } | { status: number; error: string } | { skipped: string }

interface Fixture {
  file: string
  name: string
  description: string
  now: string
  settings?: Record<string, unknown>
  amplitudeEventMap?: Record<string, string>
  input: Record<string, unknown>
  expected: Expected
}

const FIXTURE_DIR = join(__dirname, '../../conformance/fixtures/amplitude')
const FORMAT_PREFIXES: [string, AmplitudeFormat][] = [
  ['http-v2-', 'http_v2'],
  ['export-', 'export']
]

/** Cases the issue asks for in both Amplitude formats. */
const CASES_IN_BOTH_FORMATS = [
  'page-view-fbclid',
  'revenue-amount',
  'order-completed-products',
  'product-viewed',
  'sign-up',
  'user-mapped-standard-event',
  'user-mapped-custom-event',
  'user-mapped-page-view',
  'unmapped-custom-event',
  'missing-optional-fields',
  'string-numbers',
  'device-id-only',
  'user-properties',
  'purchase-without-user-agent',
  'purchase-without-page-url',
  'content-event-id',
  'malformed-no-event-type',
  'malformed-no-user-or-device-id',
  'malformed-bad-time'
]

function formatOf(file: string): { format: AmplitudeFormat; caseName: string } {
  const match = FORMAT_PREFIXES.find(([prefix]) => file.startsWith(prefix))
  if (!match) throw new Error(`${file}: fixture names start with http-v2- or export-`)
  return { format: match[1], caseName: file.slice(match[0].length, -'.json'.length) }
}

function loadFixture(file: string): Fixture {
  const fixture = { file, ...JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) } as Fixture
  const problems = [
    typeof fixture.name !== 'string' && 'name',
    typeof fixture.description !== 'string' && 'description',
    Number.isNaN(Date.parse(fixture.now)) && 'now',
    (typeof fixture.input !== 'object' || fixture.input === null) && 'input',
    !isExpected(fixture.expected) && 'expected'
  ].filter(Boolean)
  if (problems.length > 0) throw new Error(`${file}: missing or malformed ${problems.join(', ')}`)
  return fixture
}

function isExpected(expected: unknown): expected is Expected {
  if (typeof expected !== 'object' || expected === null) return false
  const keys = Object.keys(expected).sort().join(',')
  return keys === 'event' || keys === 'error,status' || keys === 'skipped'
}

const fixtures: Fixture[] = readdirSync(FIXTURE_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map(loadFixture)

function configOf(fixture: Fixture): RunnerConfig {
  return {
    settings: { ...settings, ...fixture.settings } as RunnerConfig['settings'],
    amplitudeEventMap: fixture.amplitudeEventMap ?? {}
  }
}

async function mapOne(fixture: Fixture, input: unknown = fixture.input): Promise<EventResult> {
  const [result] = await new Engine(configOf(fixture)).map([input], 'auto')
  return result
}

function expectOutcome(result: EventResult, expected: Expected): void {
  if ('event' in expected) {
    expect(result).toEqual({ index: 0, status: 200, event: expected.event })
  } else if ('skipped' in expected) {
    expect(result).toEqual({ index: 0, skipped: expect.stringContaining(expected.skipped) })
  } else {
    expect(result).toEqual({
      index: 0,
      status: expected.status,
      error: expect.stringContaining(expected.error),
      retryable: false
    })
  }
}

function atFixtureTime(fixture: Fixture): void {
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse(fixture.now))
}

afterEach(() => jest.restoreAllMocks())

describe('Amplitude → CAPI conformance fixtures', () => {
  it('has fixtures in both formats, and every required case in both', () => {
    const byFormat = (format: AmplitudeFormat) => fixtures.filter((fixture) => formatOf(fixture.file).format === format)
    expect(byFormat('http_v2').length).toBeGreaterThanOrEqual(CASES_IN_BOTH_FORMATS.length)
    expect(byFormat('export').length).toBeGreaterThanOrEqual(CASES_IN_BOTH_FORMATS.length)
    const files = new Set(fixtures.map((fixture) => fixture.file))
    const missing = CASES_IN_BOTH_FORMATS.flatMap((caseName) =>
      FORMAT_PREFIXES.map(([prefix]) => `${prefix}${caseName}.json`).filter((file) => !files.has(file))
    )
    expect(missing).toEqual([])
  })

  it.each(fixtures)('$file: $name', async (fixture) => {
    expect(detectAmplitudeFormat(fixture.input)).toBe(formatOf(fixture.file).format)
    atFixtureTime(fixture)
    expectOutcome(await mapOne(fixture), fixture.expected)
  })

  it('expects the same CAPI outcome for both formats of one case', () => {
    const byCase = new Map<string, Fixture[]>()
    for (const fixture of fixtures) {
      const { caseName } = formatOf(fixture.file)
      byCase.set(caseName, [...(byCase.get(caseName) ?? []), fixture])
    }
    const pairs = [...byCase.values()].filter((pair) => pair.length === 2)
    expect(pairs.length).toBeGreaterThanOrEqual(CASES_IN_BOTH_FORMATS.length)
    for (const [first, second] of pairs) {
      expect({ case: second.file, expected: second.expected }).toEqual({ case: second.file, expected: first.expected })
    }
  })
})

describe('idempotence: Amplitude retries give Meta the same event', () => {
  const delivered = fixtures.filter((fixture) => 'event' in fixture.expected)

  it.each(delivered)('$file: mapped twice, and twice in one batch, gives identical events', async (fixture) => {
    atFixtureTime(fixture)
    const before = JSON.stringify(fixture.input)
    const first = await mapOne(fixture, structuredClone(fixture.input))
    const second = await mapOne(fixture, structuredClone(fixture.input))
    const batch = await new Engine(configOf(fixture)).map([fixture.input, structuredClone(fixture.input)], 'auto')

    expect(second).toEqual(first)
    expect(batch).toEqual([first, { ...first, index: 1 }])
    expect(JSON.stringify(fixture.input)).toBe(before)
  })

  it('an export event without $insert_id uses its uuid, and one with neither gets a deterministic id', async () => {
    const withUuid = fixtures.find((fixture) => fixture.file === 'export-uuid-event-id.json')!
    const withNeither = fixtures.find((fixture) => fixture.file === 'export-content-event-id.json')!
    expect(withUuid.input).not.toHaveProperty('$insert_id')
    expect(withNeither.input).not.toHaveProperty('$insert_id')
    expect(withNeither.input).not.toHaveProperty('uuid')
    atFixtureTime(withUuid)

    const uuidResult = await mapOne(withUuid)
    expect('event' in uuidResult && uuidResult.event.event_id).toBe(withUuid.input.uuid)
    const ids = await Promise.all([mapOne(withNeither), mapOne(withNeither)])
    const [firstId, secondId] = ids.map((result) => 'event' in result && result.event.event_id)
    expect(firstId).toMatch(/^amp-[0-9a-f]{32}$/)
    expect(secondId).toBe(firstId)
  })
})

describe('event_time does not depend on the machine time zone', () => {
  const fixture = fixtures.find((candidate) => candidate.file === 'export-page-view-fbclid.json')!

  it('parses the export event_time "2022-02-28 20:07:01.795" as UTC', async () => {
    expect(fixture.input.event_time).toBe('2022-02-28 20:07:01.795')
    atFixtureTime(fixture)
    const result = await mapOne(fixture)
    expect('event' in result && serverEventOf(result.event).event_time).toBe(1646078821)
  })

  // The jest worker's zone is fixed at start-up, so another zone needs another process: the compiled engine (dist/,
  // rebuilt from src by the global setup) maps the same event under America/Los_Angeles.
  it('maps it to the same event under TZ=America/Los_Angeles', () => {
    const script = `
      const { Engine } = require(${JSON.stringify(join(__dirname, '../../dist/runner/engine'))})
      Date.now = () => ${Date.parse(fixture.now)}
      const offset = new Date(Date.UTC(2022, 1, 28)).getTimezoneOffset()
      new Engine(${JSON.stringify(configOf(fixture))})
        .map([${JSON.stringify(fixture.input)}], 'auto')
        .then(([result]) => process.stdout.write(JSON.stringify({ offset, result })))
    `
    const child = spawnSync(process.execPath, ['-e', script], {
      env: { ...process.env, TZ: 'America/Los_Angeles' },
      encoding: 'utf8'
    })
    expect(child.stderr).toBe('')
    const { offset, result } = JSON.parse(child.stdout) as { offset: number; result: EventResult }
    expect(offset).toBe(480)
    expectOutcome(result, fixture.expected)
  })
})
