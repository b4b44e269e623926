import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadServiceSources, SANDBOX_ACCESS_TOKEN } from '../../../src/runner/config'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'service-sources-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function file(content: unknown): string {
  const path = join(dir, 'service.json')
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

describe('loadServiceSources', () => {
  it('reads { sources: { key: settings } }, one pixel per key, the token defaulting to META_ACCESS_TOKEN', () => {
    const path = file({
      sources: {
        'key-a': { pixelId: '111111111111111', accessToken: 'token-a', mapping: { action_source: 'app' } },
        'key-b': { pixelId: '222222222222222', amplitudeEventMap: 'Demo Booked = Schedule' }
      }
    })

    const { sources, target } = loadServiceSources({
      file: path,
      env: { META_ACCESS_TOKEN: 'shared-token', META_PIXEL_ID: '999' }
    })

    expect(target).toBe('meta')
    expect(Object.keys(sources)).toEqual(['key-a', 'key-b'])
    expect(sources['key-a']).toEqual({
      settings: { pixelId: '111111111111111', accessToken: 'token-a' },
      mapping: { action_source: 'app' },
      amplitudeEventMap: {}
    })
    expect(sources['key-b'].settings).toEqual({ pixelId: '222222222222222', accessToken: 'shared-token' })
    expect(sources['key-b'].amplitudeEventMap).toEqual({ 'Demo Booked': 'Schedule' })
  })

  it('reads one destination config with writeKeys, META_WRITE_KEY and --write-key adding keys, META_* overriding', () => {
    const path = file({
      pixelId: '111111111111111',
      accessToken: 'file-token',
      writeKeys: ['key-1'],
      apiVersion: 'v26.0'
    })

    const { sources } = loadServiceSources({
      file: path,
      env: { META_WRITE_KEY: 'key-2', META_ACCESS_TOKEN: 'env-token' },
      writeKeys: ['key-3']
    })

    expect(Object.keys(sources)).toEqual(['key-1', 'key-3', 'key-2'])
    expect(sources['key-1']).toBe(sources['key-2'])
    expect(sources['key-1']).toBe(sources['key-3'])
    expect(sources['key-1'].settings).toEqual({
      pixelId: '111111111111111',
      accessToken: 'env-token',
      apiVersion: 'v26.0'
    })
  })

  it('builds the single config from the environment alone when there is no file', () => {
    const loaded = loadServiceSources({
      env: { META_WRITE_KEY: 'key-env', META_PIXEL_ID: '333333333333333', META_ACCESS_TOKEN: 'tok' }
    })
    expect(loaded).toEqual({
      sources: { 'key-env': { settings: { pixelId: '333333333333333', accessToken: 'tok' }, amplitudeEventMap: {} } },
      target: 'meta'
    })
  })

  it('uses the sandbox with nothing configured but a key (a trial run), and with --sandbox whatever is configured', () => {
    expect(loadServiceSources({ env: { META_WRITE_KEY: 'k' } })).toEqual({
      sources: {
        k: { settings: { pixelId: '100000000000001', accessToken: SANDBOX_ACCESS_TOKEN }, amplitudeEventMap: {} }
      },
      target: 'sandbox'
    })
    const path = file({
      sources: { a: { pixelId: '111111111111111', accessToken: 'real' }, b: { pixelId: '222222222222222' } }
    })
    const { sources, target } = loadServiceSources({ file: path, env: {}, sandbox: true })
    expect(target).toBe('sandbox')
    expect(Object.values(sources).map((config) => config.settings)).toEqual([
      { pixelId: '111111111111111', accessToken: SANDBOX_ACCESS_TOKEN },
      { pixelId: '222222222222222', accessToken: SANDBOX_ACCESS_TOKEN }
    ])
  })

  it.each([
    ['an array', [], /must hold a JSON object/],
    ['not JSON', '{ nope', /cannot read the config file/],
    [
      'sources with other keys',
      { sources: { k: { pixelId: '1' } }, pixelId: '1' },
      /unknown key "pixelId" in .*holds nothing else/
    ],
    ['sources not an object', { sources: ['k'] }, /"sources" in .* must be an object/],
    ['no sources listed', { sources: {} }, /lists no key/],
    ['a source without pixelId', { sources: { k: { accessToken: 't' } } }, /source #1 of .* has no "pixelId"/],
    [
      'a numeric pixelId',
      { sources: { k: { pixelId: 111111111111111, accessToken: 't' } } },
      /"pixelId" must be a string of digits, in quotes/
    ],
    [
      'writeKeys not strings',
      { pixelId: '1', writeKeys: [1] },
      /"writeKeys" in .* must be an array of non-empty strings/
    ],
    ['no key at all', { pixelId: '111111111111111', accessToken: 't' }, /names no key/],
    ['no pixel', { accessToken: 't', writeKeys: ['k'] }, /has an access token but no pixel ID/],
    [
      'a source without a token',
      { sources: { k: { pixelId: '111111111111111' } } },
      /source #1 of .* names a Meta target but no access token .* --sandbox/
    ],
    [
      'a config file without a token',
      { pixelId: '111111111111111', writeKeys: ['k'] },
      /names a Meta target but no access token/
    ]
  ])('rejects %s with a clear message', (_name, content, message) => {
    expect(() => loadServiceSources({ file: file(content), env: {} })).toThrow(message)
  })

  it('refuses the typo config that once sent production traffic to the sandbox, naming the key and the fix', () => {
    const path = file({ pixelId: '111111111111111', access_token: 'EAAB-typo-token', writeKeys: ['k'] })

    expect(() => loadServiceSources({ file: path, env: {} })).toThrow(
      `unknown key "access_token" in the config file ${path}; did you mean "accessToken"?`
    )
  })

  it('refuses an unknown key in a source entry, by position, never naming the source key', () => {
    const path = file({
      sources: { 'secret-key-123': { pixelId: '111111111111111', accessToken: 't', defaultActionSorce: 'app' } }
    })

    expect(() => loadServiceSources({ file: path, env: {} })).toThrow(
      `unknown key "defaultActionSorce" in source #1 of the config file ${path}; did you mean "defaultActionSource"?`
    )
    expect(() => loadServiceSources({ file: path, env: {} })).toThrow(/^(?!.*secret-key-123)/)
  })

  it('refuses META_WRITE_KEY or --write-key with a multi-source file, where it would be ambiguous', () => {
    const path = file({ sources: { k: { pixelId: '111111111111111', accessToken: 't' } } })
    expect(() => loadServiceSources({ file: path, env: { META_WRITE_KEY: 'x' } })).toThrow(/META_WRITE_KEY/)
    expect(() => loadServiceSources({ file: path, env: {}, writeKeys: ['x'] })).toThrow(/--write-key/)
  })
})
