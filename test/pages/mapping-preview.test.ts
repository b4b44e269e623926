import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'undici'
import { describeDefinition } from '../../src/pages/mapping-definition'
import { exportedConfig, previewMapping, previewRequestProblem } from '../../src/pages/mapping-preview'
import { sampleEvents } from '../../src/pages/mapping-route'
import { Engine } from '../../src/runner/engine'
import { dryRunConfigOf, loadRunnerConfig } from '../../src/runner/config'
import { startIngestService, type IngestService } from '../../src/service'

// The destination checks event_time against the real clock (7 days), so the fixtures are relative to it.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000)
const ORDER = {
  type: 'track',
  event: 'Order Completed',
  messageId: 'msg-1',
  timestamp: new Date(NOW.getTime() - 60_000).toISOString(),
  userId: 'user-1',
  properties: { total: 30, revenue: 25, currency: 'usd' },
  context: {
    ip: '203.0.113.7',
    userAgent: 'UA/1.0',
    page: { url: 'https://shop.example.com/thanks' },
    traits: { email: 'A@Example.com' }
  }
}

describe('describeDefinition', () => {
  it('reads settings, presets and fields (with directives and choices) from the definition', () => {
    const view = describeDefinition()
    expect(view.settings.find((field) => field.key === 'pixelId')).toMatchObject({ label: 'Pixel ID', required: true })
    expect(view.fields.find((field) => field.key === 'event_time')).toMatchObject({
      default: { '@path': '$.timestamp' }
    })
    expect(view.fields.find((field) => field.key === 'action_source')?.choices?.map((c) => c.value)).toContain(
      'physical_store'
    )
    const userData = view.fields.find((field) => field.key === 'user_data')
    const labelOf = (key: string) => userData?.properties?.find((field) => field.key === key)?.label
    expect(labelOf('email')).toBe('Email')
    expect(labelOf('phone')).toBe('Phone Number')
    expect(labelOf('zip')).toBe('Zip Code')
    expect(labelOf('client_user_agent')).toBe('Client User Agent')
    expect(labelOf('fbp')).toBe('Browser ID (fbp)')
    const purchase = view.presets.find((preset) => preset.name === 'Purchase')
    expect(purchase?.mapping.event_name).toBe('Purchase')
    expect(purchase?.subscribe).toContain('event = "Order Completed"')
  })
})

describe('previewMapping', () => {
  it("gives map's line for the input, the preset it matched, the match estimate and the config to export", async () => {
    const result = await previewMapping(
      {
        settings: { pixelId: '123456789012345', accessToken: 'secret-token', testEventCode: '' },
        mapping: { value: { '@path': '$.properties.total' } },
        input: ORDER
      },
      NOW
    )
    const engine = new Engine(
      dryRunConfigOf({ pixelId: '123456789012345', mapping: { value: { '@path': '$.properties.total' } } }, 'the test')
    )
    const [expected] = await engine.map([ORDER])
    expect(result.line).toEqual({ index: 0, event: (expected as { event: unknown }).event })
    expect(result.line.event).toMatchObject({ event_name: 'Purchase', custom_data: { value: 30, currency: 'USD' } })
    expect(result.preset).toBe('Purchase')
    expect(result.stamped).toBe(false)
    expect(result.match?.score).toBe(7)
    expect(result.config).toEqual({ pixelId: '123456789012345', mapping: { value: { '@path': '$.properties.total' } } })
    expect(JSON.stringify(result)).not.toContain('secret-token')
  })

  it("stamps an input without a time with the preview's time, as map does", async () => {
    const { timestamp: _timestamp, ...untimed } = ORDER
    const result = await previewMapping({ input: untimed }, NOW)
    expect(result.stamped).toBe(true)
    expect(result.line.event).toMatchObject({ event_time: NOW.getTime() / 1000 })
  })

  it('reports refused and skipped inputs as map does', async () => {
    const refused = await previewMapping({ input: { ...ORDER, properties: {} } }, NOW)
    expect(refused.line).toMatchObject({ index: 0, status: 400 })
    expect(String(refused.line.error)).toMatch(/currency|value/i)
    const skipped = await previewMapping({ input: { ...ORDER, event: 'Banner Dismissed' } }, NOW)
    expect(skipped.line).toEqual({ index: 0, skipped: 'no preset matches track "Banner Dismissed"' })
    expect(skipped.preset).toBeUndefined()
  })

  it('moves the Amplitude event map out of the settings, as the runner config holds it', async () => {
    const amplitude = {
      event_type: 'Tour Done',
      user_id: 'u1',
      insert_id: 'i1',
      time: NOW.getTime() - 60_000,
      ip: '203.0.113.7',
      user_properties: { email: 'a@example.com' }
    }
    const request = {
      settings: { defaultActionSource: 'system_generated', amplitudeEventMap: 'Tour Done = Lead' },
      input: amplitude
    }
    const result = await previewMapping(request, NOW)
    expect(result.line.event).toMatchObject({ event_name: 'Lead', action_source: 'system_generated' })
    expect(result.config).toEqual({ defaultActionSource: 'system_generated', amplitudeEventMap: 'Tour Done = Lead' })
  })

  it('throws on settings actions-core rejects', async () => {
    await expect(previewMapping({ settings: { defaultActionSource: 'moon' }, input: ORDER }, NOW)).rejects.toThrow(
      'Default action source must be one of'
    )
  })

  it('exports a config that the config loader reads back into the same settings and mapping', () => {
    const config = exportedConfig({
      settings: { pixelId: '999999999999999', defaultCurrency: 'EUR' },
      mapping: { currency: 'EUR' },
      input: {}
    })
    expect(config).toEqual({ pixelId: '999999999999999', defaultCurrency: 'EUR', mapping: { currency: 'EUR' } })
  })

  it.each([
    [[], 'the body must be a JSON object'],
    [{}, 'no input event'],
    [{ input: {}, mapping: [] }, 'mapping must be an object'],
    [{ input: {}, source: 'rudder' }, 'source must be auto, segment or amplitude']
  ])('refuses the request %j', (body, problem) => {
    expect(previewRequestProblem(body)).toBe(problem)
  })
})

describe('sampleEvents', () => {
  it('offers every example, labelled, with the preset it routes to', () => {
    const samples = sampleEvents(join(__dirname, '..', '..', 'examples'))
    const lines = ['segment.jsonl', 'amplitude.jsonl'].flatMap((file) =>
      readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')
        .trim()
        .split('\n')
    )
    expect(samples).toHaveLength(lines.length)
    expect(samples).toContainEqual(
      expect.objectContaining({ label: 'Segment · Order Completed', source: 'segment', preset: 'Purchase' })
    )
    expect(samples).toContainEqual(
      expect.objectContaining({ label: 'Amplitude · Onboarding Tour Completed', preset: undefined })
    )
  })
})

describe('the ingest service serves the mapping page', () => {
  let service: IngestService
  beforeAll(async () => {
    service = await startIngestService({
      sources: {
        key: loadRunnerConfig({ env: { META_PIXEL_ID: '123456789012345', META_ACCESS_TOKEN: 't' } }, 'serve').config
      }
    })
  })
  afterAll(() => service.close())

  it('at /mapping, with its definition and preview endpoints', async () => {
    const page = await request(`${service.url}/mapping`)
    expect(page.statusCode).toBe(200)
    expect(await page.body.text()).toContain('Mapping preview')
    const preview = await request(`${service.url}/mapping/preview`, {
      method: 'POST',
      body: JSON.stringify({ input: ORDER })
    })
    expect(preview.statusCode).toBe(200)
    expect(((await preview.body.json()) as { preset: string }).preset).toBe('Purchase')
    const bad = await request(`${service.url}/mapping/preview`, { method: 'POST', body: 'nope' })
    expect(bad.statusCode).toBe(400)
    expect(await bad.body.json()).toEqual({ error: 'the body is not JSON' })
  })
})
