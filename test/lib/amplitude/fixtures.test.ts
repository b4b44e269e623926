import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  amplitudeToSegment,
  detectAmplitudeFormat,
  type AmplitudeAdapterOptions,
  type AmplitudeFormat,
  type SegmentSpecEvent
} from '../../../src/lib/amplitude'

interface Fixture {
  file: string
  name: string
  input: Record<string, unknown>
  options?: AmplitudeAdapterOptions
  segment: SegmentSpecEvent
}

const FIXTURE_DIR = join(__dirname, 'fixtures')

const fixtures: Fixture[] = readdirSync(FIXTURE_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) }))

/** Fixture files are named after the Amplitude format of their input. */
function formatOfFile(file: string): AmplitudeFormat {
  return file.startsWith('export-') ? 'export' : 'http_v2'
}

describe('Amplitude → Segment fixtures', () => {
  it('has fixtures for both formats', () => {
    expect(fixtures.filter((fixture) => formatOfFile(fixture.file) === 'export').length).toBeGreaterThan(2)
    expect(fixtures.filter((fixture) => formatOfFile(fixture.file) === 'http_v2').length).toBeGreaterThan(2)
  })

  it.each(fixtures)('$file: $name', ({ file, input, options, segment }) => {
    expect(detectAmplitudeFormat(input)).toBe(formatOfFile(file))
    expect(amplitudeToSegment(input, options)).toStrictEqual({ ok: true, event: segment })
  })
})
