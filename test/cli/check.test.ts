import { writeFileSync } from 'node:fs'
import { startSandbox } from '../../src/sandbox'
import type { Sandbox } from '../../src/sandbox'
import { runCli, tempDir, stopChildren } from './support'

afterEach(stopChildren)

const TOKEN = 'EAAB-check-test-token-never-printed'
const PIXEL = '123456789012345'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ accessTokens: [TOKEN], pixelIds: [PIXEL] })
})
afterAll(() => sandbox.close())

describe('meta-pixel check', () => {
  it('prints ok and exits 0 for a token that may use the pixel', async () => {
    const result = await runCli(['check'], {
      env: { META_GRAPH_URL: sandbox.url, META_ACCESS_TOKEN: TOKEN, META_PIXEL_ID: PIXEL }
    })

    expect(result).toMatchObject({ code: 0, stdout: 'ok\n', stderr: '' })
  })

  it('reads the settings from --config', async () => {
    const dir = tempDir()
    try {
      const config = dir.file('settings.json')
      writeFileSync(config, JSON.stringify({ pixelId: PIXEL, accessToken: TOKEN }))

      const result = await runCli(['check', '--config', config], { env: { META_GRAPH_URL: sandbox.url } })

      expect(result).toMatchObject({ code: 0, stdout: 'ok\n' })
    } finally {
      dir.remove()
    }
  })

  it('exits 1 with a one-line message, without the token, for a wrong token', async () => {
    const wrong = `${TOKEN}-but-wrong`

    const result = await runCli(['check'], {
      env: { META_GRAPH_URL: sandbox.url, META_ACCESS_TOKEN: wrong, META_PIXEL_ID: PIXEL }
    })

    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^meta-pixel: .*token/i)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).not.toContain(wrong)
    expect(result.stderr).not.toContain(TOKEN)
  })

  it('exits 1 for a pixel the token may not use', async () => {
    const result = await runCli(['check'], {
      env: { META_GRAPH_URL: sandbox.url, META_ACCESS_TOKEN: TOKEN, META_PIXEL_ID: '999999999999999' }
    })

    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^meta-pixel: /)
    expect(result.stderr).not.toContain(TOKEN)
  })

  it('exits 2 when no token is configured', async () => {
    const result = await runCli(['check'], { env: { META_GRAPH_URL: sandbox.url, META_PIXEL_ID: PIXEL } })

    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^meta-pixel: no access token configured/)
  })
})
