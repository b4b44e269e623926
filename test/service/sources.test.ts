import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadServiceSources } from '../../src/service'

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

    const sources = loadServiceSources(path, { META_ACCESS_TOKEN: 'shared-token', META_PIXEL_ID: '999' })

    expect(Object.keys(sources)).toEqual(['key-a', 'key-b'])
    expect(sources['key-a']).toEqual({
      settings: { pixelId: '111111111111111', accessToken: 'token-a' },
      mapping: { action_source: 'app' },
      amplitudeEventMap: {}
    })
    expect(sources['key-b'].settings).toEqual({ pixelId: '222222222222222', accessToken: 'shared-token' })
    expect(sources['key-b'].amplitudeEventMap).toEqual({ 'Demo Booked': 'Schedule' })
  })

  it('reads one destination config with writeKeys, META_WRITE_KEY adding a key and META_* overriding', () => {
    const path = file({
      pixelId: '111111111111111',
      accessToken: 'file-token',
      writeKeys: ['key-1'],
      apiVersion: 'v26.0'
    })

    const sources = loadServiceSources(path, { META_WRITE_KEY: 'key-2', META_ACCESS_TOKEN: 'env-token' })

    expect(Object.keys(sources)).toEqual(['key-1', 'key-2'])
    expect(sources['key-1']).toBe(sources['key-2'])
    expect(sources['key-1'].settings).toEqual({
      pixelId: '111111111111111',
      accessToken: 'env-token',
      apiVersion: 'v26.0'
    })
  })

  it('builds the single config from the environment alone when there is no file', () => {
    const sources = loadServiceSources(undefined, {
      META_WRITE_KEY: 'key-env',
      META_PIXEL_ID: '333333333333333',
      META_ACCESS_TOKEN: 'tok'
    })
    expect(sources).toEqual({
      'key-env': { settings: { pixelId: '333333333333333', accessToken: 'tok' }, amplitudeEventMap: {} }
    })
  })

  it.each([
    ['an array', [], /must hold a JSON object/],
    ['not JSON', '{ nope', /Cannot read the service config file/],
    ['sources with other keys', { sources: { k: { pixelId: '1' } }, pixelId: '1' }, /has "sources" and also pixelId/],
    ['sources not an object', { sources: ['k'] }, /"sources" must be an object/],
    ['no sources listed', { sources: {} }, /lists no key/],
    ['a source without pixelId', { sources: { k: { accessToken: 't' } } }, /source #1 needs a "pixelId"/],
    ['a numeric pixelId', { sources: { k: { pixelId: 111111111111111 } } }, /needs a "pixelId" string/],
    ['writeKeys not strings', { pixelId: '1', writeKeys: [1] }, /"writeKeys" must be an array/],
    ['no key at all', { pixelId: '1' }, /names no key/],
    ['no pixel', { writeKeys: ['k'] }, /has no "pixelId"/]
  ])('rejects %s with a clear message', (_name, content, message) => {
    expect(() => loadServiceSources(file(content), {})).toThrow(message)
  })

  it('never puts a key in an error message', () => {
    const path = file({ sources: { 'secret-key-123': { accessToken: 't' } } })
    expect(() => loadServiceSources(path, {})).toThrow(/^(?!.*secret-key-123)/)
  })

  it('refuses META_WRITE_KEY with a multi-source file, where it would be ambiguous', () => {
    const path = file({ sources: { k: { pixelId: '111111111111111' } } })
    expect(() => loadServiceSources(path, { META_WRITE_KEY: 'x' })).toThrow(/META_WRITE_KEY/)
  })
})
