/**
 * Misconfiguration as a user meets it: every command exits 2 with the reason on one stderr line, before anything is
 * sent, and never shows the token; the embedded sandbox is used only when nothing names a Meta target or --sandbox.
 */
import { writeFileSync } from 'node:fs'
import { startSandbox } from '../../src/sandbox'
import type { Sandbox } from '../../src/sandbox'
import { metaAt, runCli, startCli, stopChildren, tempDir, toJsonLines, trackEvent } from './support'

const TOKEN = 'EAAB-config-test-token-never-printed'
const PIXEL = '123456789012345'
const lead = toJsonLines([trackEvent('Lead', 'config-lead-1')])

let sandbox: Sandbox
let dir: ReturnType<typeof tempDir>
beforeEach(async () => {
  sandbox = await startSandbox({ accessTokens: [TOKEN], pixelIds: [PIXEL] })
  dir = tempDir()
})
afterEach(async () => {
  stopChildren()
  await sandbox.close()
  dir.remove()
})

function configFile(content: unknown): string {
  const path = dir.file('config.json')
  writeFileSync(path, JSON.stringify(content))
  return path
}

function expectConfigError(result: { code: number | null; stdout: string; stderr: string }, message: string) {
  expect(result.code).toBe(2)
  expect(result.stdout).toBe('')
  expect(result.stderr).toBe(`meta-pixel: ${message}\n`)
  expect(result.stderr).not.toContain(TOKEN)
}

describe('misconfiguration exits 2 with the reason, for every command', () => {
  it('send: a pixel ID that is not digits, and nothing reaches Meta', async () => {
    const path = configFile({ pixelId: 'abc', accessToken: TOKEN })

    const result = await runCli(['send', '--config', path], { env: metaAt(sandbox.url), input: lead })

    expectConfigError(
      result,
      `invalid settings in the config file ${path}: "pixelId": The Pixel ID must be the digits shown in Events Manager`
    )
    expect(sandbox.requests()).toBe(0)
  })

  it('map: an API version that is not vNN.0', async () => {
    const path = configFile({ pixelId: PIXEL, apiVersion: 'latest' })

    const result = await runCli(['map', '--config', path], { input: lead })

    expectConfigError(
      result,
      `invalid settings in the config file ${path}: "apiVersion": The Graph API version must look like v26.0`
    )
  })

  it('map and demo: an unknown key, with the nearest known one', async () => {
    const path = configFile({ pixelId: PIXEL, defaultActionSorce: 'app' })
    const message = `unknown key "defaultActionSorce" in the config file ${path}; did you mean "defaultActionSource"?`

    expectConfigError(await runCli(['map', '--config', path], { input: lead }), message)
    expectConfigError(await runCli(['demo', '--exit', '--config', path]), message)
  })

  it('send: a config file without a token is an error, not a run against the sandbox', async () => {
    const path = configFile({ pixelId: PIXEL, access_token: TOKEN })

    const typo = await runCli(['send', '--config', path], { env: metaAt(sandbox.url), input: lead })
    expectConfigError(typo, `unknown key "access_token" in the config file ${path}; did you mean "accessToken"?`)

    const untokened = configFile({ pixelId: PIXEL })
    const result = await runCli(['send', '--config', untokened], { input: lead })
    expectConfigError(
      result,
      `the config file ${untokened} names a Meta target but no access token is configured: set "accessToken" or ` +
        'META_ACCESS_TOKEN, or pass --sandbox to deliver to the embedded sandbox instead'
    )
  })

  it('send --sandbox delivers to the embedded sandbox, whatever token is configured, and says so', async () => {
    const path = configFile({ pixelId: PIXEL, accessToken: TOKEN })

    const result = await runCli(['send', '--sandbox', '--config', path], {
      env: metaAt(sandbox.url),
      input: lead
    })

    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ events: 1, delivered: 1 })
    expect(result.stderr).toMatch(/^Sending to the embedded sandbox \(--sandbox\), not to Meta\./)
    expect(sandbox.requests()).toBe(0)
  })

  it('send: a pixel in the environment without a token is an error', async () => {
    const result = await runCli(['send'], { env: { META_PIXEL_ID: PIXEL }, input: lead })

    expectConfigError(
      result,
      'META_PIXEL_ID names a Meta target but no access token is configured: set "accessToken" or ' +
        'META_ACCESS_TOKEN, or pass --sandbox to deliver to the embedded sandbox instead'
    )
  })
})

describe('meta-pixel serve refuses to start when misconfigured', () => {
  it('the typo config: "access_token" named, "accessToken" suggested, no sandbox started', async () => {
    const path = configFile({ pixelId: PIXEL, access_token: TOKEN, writeKeys: ['wk-1'] })

    const result = await runCli(['serve', '--port', '0', '--config', path])

    expectConfigError(result, `unknown key "access_token" in the config file ${path}; did you mean "accessToken"?`)
  })

  it('a source entry with an unknown key, named by position', async () => {
    const path = configFile({
      sources: { 'wk-secret': { pixelId: PIXEL, accessToken: TOKEN, testEventcode: 'TEST1' } }
    })

    const result = await runCli(['serve', '--port', '0', '--config', path])

    expectConfigError(
      result,
      `unknown key "testEventcode" in source #1 of the config file ${path}; did you mean "testEventCode"?`
    )
    expect(result.stderr).not.toContain('wk-secret')
  })

  it('a config file without a token, unless --sandbox', async () => {
    const path = configFile({ pixelId: PIXEL, writeKeys: ['wk-1'] })

    const refused = await runCli(['serve', '--port', '0', '--config', path])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/names a Meta target but no access token is configured/)

    const serve = startCli(['serve', '--port', '0', '--sandbox', '--config', path])
    try {
      expect(await serve.firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(serve.output().stderr).toMatch(/embedded sandbox \(--sandbox\)/)
    } finally {
      serve.child.kill('SIGTERM')
    }
    expect((await serve.exited).code).toBe(0)
  })
})
