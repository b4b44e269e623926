import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ConfigError,
  loadDemoConfig,
  loadDryRunConfig,
  loadRunnerConfig,
  SANDBOX_ACCESS_TOKEN
} from '../../../src/runner/config'

const PIXEL = '123456789012345'
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runner-config-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function file(content: unknown): string {
  const path = join(dir, 'config.json')
  writeFileSync(path, JSON.stringify(content))
  return path
}

function problem(load: () => unknown): string {
  try {
    load()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('expected a ConfigError')
}

describe('loadRunnerConfig: where events go', () => {
  it('sends to Meta with a token and a pixel, the environment winning over the file', () => {
    const path = file({ pixelId: '111111111111111', accessToken: 'file-token', defaultActionSource: 'app' })

    const loaded = loadRunnerConfig(
      { file: path, env: { META_ACCESS_TOKEN: 'env-token', META_PIXEL_ID: PIXEL } },
      'send'
    )

    expect(loaded).toEqual({
      config: {
        settings: { pixelId: PIXEL, accessToken: 'env-token', defaultActionSource: 'app' },
        amplitudeEventMap: {}
      },
      target: 'meta'
    })
  })

  it('uses the sandbox only when nothing names a Meta target, or when asked for', () => {
    expect(loadRunnerConfig({ env: {} }, 'send')).toEqual({
      config: { settings: { pixelId: '100000000000001', accessToken: SANDBOX_ACCESS_TOKEN }, amplitudeEventMap: {} },
      target: 'sandbox'
    })
    const path = file({ pixelId: PIXEL, accessToken: 'real-token' })
    expect(loadRunnerConfig({ file: path, env: {}, sandbox: true }, 'send')).toEqual({
      config: { settings: { pixelId: PIXEL, accessToken: SANDBOX_ACCESS_TOKEN }, amplitudeEventMap: {} },
      target: 'sandbox'
    })
  })

  it.each([
    [
      'a config file without a token',
      { file: { pixelId: PIXEL } },
      /the config file .* names a Meta target but no access token.*--sandbox/
    ],
    [
      'a pixel without a token',
      { env: { META_PIXEL_ID: PIXEL } },
      /^META_PIXEL_ID names a Meta target but no access token/
    ],
    [
      'a Graph URL without a token',
      { env: { META_GRAPH_URL: 'http://127.0.0.1:9' } },
      /^META_GRAPH_URL names a Meta target/
    ],
    ['a token without a pixel', { env: { META_ACCESS_TOKEN: 't' } }, /has an access token but no pixel ID/]
  ])('refuses %s', (_name, setup: { file?: unknown; env?: NodeJS.ProcessEnv }, message) => {
    const path = setup.file === undefined ? undefined : file(setup.file)
    expect(problem(() => loadRunnerConfig({ file: path, env: setup.env ?? {} }, 'send'))).toMatch(message)
  })

  it('refuses a multi-source file outside serve', () => {
    const path = file({ sources: { k: { pixelId: PIXEL, accessToken: 't' } } })
    expect(problem(() => loadRunnerConfig({ file: path, env: {} }, 'send'))).toMatch(
      /lists several "sources", which only "serve" takes; send takes one destination config/
    )
  })
})

describe('configuration checks', () => {
  it('names every unknown key with the nearest known one, in one message', () => {
    const path = file({ pixel_id: PIXEL, access_token: 't', defaultCurency: 'USD', zzz: 1 })

    expect(problem(() => loadRunnerConfig({ file: path, env: {} }, 'send'))).toBe(
      [
        `unknown key "pixel_id" in the config file ${path}; did you mean "pixelId"?`,
        `unknown key "access_token" in the config file ${path}; did you mean "accessToken"?`,
        `unknown key "defaultCurency" in the config file ${path}; did you mean "defaultCurrency"?`,
        `unknown key "zzz" in the config file ${path}`
      ].join('; ')
    )
  })

  it('checks mapping field names against the action, and the properties of object fields', () => {
    const path = file({ pixelId: PIXEL, accessToken: 't', mapping: { evnt_name: 'Lead', user_data: { emial: 'x' } } })

    expect(problem(() => loadRunnerConfig({ file: path, env: {} }, 'send'))).toBe(
      `unknown mapping field "evnt_name" in the config file ${path}; did you mean "event_name"?; ` +
        `unknown mapping field "user_data.emial" in the config file ${path}; did you mean "email"?`
    )
  })

  it('accepts directives and known fields in a mapping', () => {
    const mapping = { action_source: 'app', user_data: { '@path': '$.context.traits' }, custom_data: { any_key: 1 } }
    const path = file({ pixelId: PIXEL, accessToken: 't', mapping })
    expect(loadRunnerConfig({ file: path, env: {} }, 'send').config.mapping).toEqual(mapping)
  })

  it.each([
    [
      'a pixel ID that is not digits',
      { pixelId: 'abc' },
      /"pixelId": The Pixel ID must be the digits shown in Events Manager/
    ],
    [
      'an API version not like vNN.0',
      { apiVersion: '26' },
      /"apiVersion": The Graph API version must look like v26\.0/
    ],
    [
      'an action source outside the choices',
      { defaultActionSource: 'web' },
      /"defaultActionSource": Default action source must be one of: "email", "website"/
    ],
    ['a boolean given as text', { limitedDataUse: 'yes' }, /"limitedDataUse": Limited Data Use must be a boolean/],
    ['mapping not an object', { mapping: [] }, /"mapping" in the config file .* must be a JSON object/],
    [
      'a broken Amplitude event map',
      { amplitudeEventMap: 'no equals sign' },
      /"amplitudeEventMap" in .*must look like "Amplitude event = MetaEvent"/
    ]
  ])('refuses %s with the reason, for send and for map', (_name, settings, message) => {
    const path = file({ pixelId: PIXEL, accessToken: 't', ...settings })
    expect(problem(() => loadRunnerConfig({ file: path, env: {} }, 'send'))).toMatch(message)
    expect(problem(() => loadDryRunConfig({ file: path, env: {} }, 'map'))).toMatch(message)
  })

  it('checks the settings of a sandbox run too: --sandbox does not excuse a bad pixel ID', () => {
    const path = file({ pixelId: 'abc' })
    expect(problem(() => loadRunnerConfig({ file: path, env: {}, sandbox: true }, 'send'))).toMatch(/"pixelId"/)
    expect(problem(() => loadDemoConfig({ file: path, env: {} }))).toMatch(/"pixelId"/)
  })

  it('gives a dry run stand-in credentials and keeps the configured ones', () => {
    expect(loadDryRunConfig({ env: {} }, 'map').settings).toEqual({
      pixelId: '100000000000001',
      accessToken: 'dry-run'
    })
    const path = file({ pixelId: PIXEL, accessToken: 'real' })
    expect(loadDryRunConfig({ file: path, env: {} }, 'map').settings).toEqual({ pixelId: PIXEL, accessToken: 'real' })
  })
})
