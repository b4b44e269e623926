import { writeFileSync } from 'node:fs'
import { startSandbox } from '../../src/sandbox'
import type { Sandbox } from '../../src/sandbox'
import { metaAt, runCli, tempDir, stopChildren } from './support'

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
      env: metaAt(sandbox.url, { token: TOKEN, pixel: PIXEL })
    })

    expect(result).toMatchObject({ code: 0, stdout: 'ok\n', stderr: '' })
  })

  it('reads the settings from --config', async () => {
    const dir = tempDir()
    try {
      const config = dir.file('settings.json')
      writeFileSync(config, JSON.stringify({ pixelId: PIXEL, accessToken: TOKEN }))

      const result = await runCli(['check', '--config', config], { env: metaAt(sandbox.url) })

      expect(result).toMatchObject({ code: 0, stdout: 'ok\n' })
    } finally {
      dir.remove()
    }
  })

  it('exits 1 with a one-line message, without the token, for a wrong token', async () => {
    const wrong = `${TOKEN}-but-wrong`

    const result = await runCli(['check'], {
      env: metaAt(sandbox.url, { token: wrong, pixel: PIXEL })
    })

    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^meta-pixel: The access token is invalid or expired \(Meta code 190/)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).not.toContain(wrong)
    expect(result.stderr).not.toContain(TOKEN)
  })

  it('exits 1 for a pixel the token may not use', async () => {
    const result = await runCli(['check'], {
      env: metaAt(sandbox.url, { token: TOKEN, pixel: '999999999999999' })
    })

    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^meta-pixel: Pixel 999999999999999 does not exist, or this token cannot see it/)
    expect(result.stderr).not.toContain(TOKEN)
  })

  it('exits 2 when no token is configured', async () => {
    const result = await runCli(['check'], { env: metaAt(sandbox.url, { pixel: PIXEL }) })

    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^meta-pixel: META_PIXEL_ID names a Meta target but no access token/)
    expect((await runCli(['check'], { env: {} })).stderr).toMatch(/^meta-pixel: no access token configured/)
  })

  it('says Meta is unreachable, not that the credentials are invalid, when nothing answers', async () => {
    const closed = await startSandbox()
    await closed.close()

    const result = await runCli(['check'], {
      env: metaAt(closed.url, { token: TOKEN, pixel: PIXEL })
    })

    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `meta-pixel: Meta is unreachable at ${closed.url} (ECONNREFUSED): the pixel and token were not checked. ` +
        'Check the network (proxy, firewall, DNS) and try again.\n'
    )
  })

  it.each([
    [
      'a 502 HTML page',
      { status: 502, body: '<html><title>502 Bad Gateway</title></html>' },
      /^meta-pixel: Meta is unavailable \(HTTP 502\): the pixel and token were not checked\. Try again later\.\n$/
    ],
    [
      'a transient Meta error',
      { status: 500, body: JSON.stringify({ error: { message: 'Service unavailable', code: 2, fbtrace_id: 'T1' } }) },
      /^meta-pixel: Meta is unavailable \(HTTP 500\) \(Meta code 2, fbtrace_id T1\): the pixel and token were not checked/
    ],
    [
      'a rate limit',
      { status: 400, body: JSON.stringify({ error: { message: 'limit', code: 17 } }) },
      /^meta-pixel: Meta is rate-limiting this app \(Meta code 17\): the pixel and token were not checked/
    ],
    [
      'no permission',
      { status: 403, body: JSON.stringify({ error: { message: 'Permissions error', code: 10 } }) },
      /^meta-pixel: The access token is valid but has no permission to send events for pixel 123456789012345 \(Meta code 10\)/
    ]
  ])('words %s in plain words, never as "Credentials are invalid"', async (_name, answer, message) => {
    const graph = await startSandbox({ answer: () => ({ ...answer, headers: { 'content-type': 'text/plain' } }) })
    try {
      const result = await runCli(['check'], {
        env: metaAt(graph.url, { token: TOKEN, pixel: PIXEL })
      })

      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(message)
      expect(result.stderr).not.toMatch(/Credentials are invalid|Resending/)
      expect(result.stderr).not.toContain(TOKEN)
    } finally {
      await graph.close()
    }
  })

  it('exits 2, before any request, for a pixel ID that is not digits', async () => {
    const result = await runCli(['check'], {
      env: metaAt(sandbox.url, { token: TOKEN, pixel: 'abc' })
    })

    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'meta-pixel: invalid settings in the environment: "pixelId": The Pixel ID must be the digits shown in Events Manager\n'
    )
  })

  it('--sandbox checks against the embedded sandbox, whatever token is configured', async () => {
    const result = await runCli(['check', '--sandbox'], { env: { META_ACCESS_TOKEN: TOKEN, META_PIXEL_ID: PIXEL } })

    expect(result).toMatchObject({ code: 0, stdout: 'ok\n' })
    expect(result.stderr).toMatch(/embedded sandbox \(--sandbox\)/)
  })
})
