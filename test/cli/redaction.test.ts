import { writeFileSync } from 'node:fs'
import { jsonLines, runCli, stopChildren, tempDir, toJsonLines, trackEvent } from './support'

afterEach(stopChildren)

describe('redaction of the access token in the CLI output', () => {
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => {
    dir = tempDir()
  })
  afterEach(() => dir.remove())

  it('matches the whole token only: a one-letter token leaves "index", "msg-x" and every other word intact', async () => {
    writeFileSync(dir.file('config.json'), JSON.stringify({ pixelId: '123456789012345', accessToken: 'x' }))

    const result = await runCli(['map', '--config', dir.file('config.json')], {
      input: toJsonLines([trackEvent('Lead', 'msg-x', { value: 5, currency: 'USD' })])
    })

    expect(result.stdout).not.toContain('[redacted]')
    const [line] = jsonLines(result.stdout)
    expect(line.index).toBe(0)
    expect((line.event as Record<string, unknown>).event_name).toBe('Lead')
  })

  it('still hides the token where it stands whole', async () => {
    const token = 'EAAB-whole-token'
    writeFileSync(dir.file('config.json'), JSON.stringify({ pixelId: '123456789012345', accessToken: token }))

    const result = await runCli(['map', '--config', dir.file('config.json')], {
      input: toJsonLines([trackEvent('Lead', token, { value: 5, currency: 'USD' })])
    })

    expect(result.stdout).not.toContain(token)
    expect((jsonLines(result.stdout)[0].event as Record<string, unknown>).event_id).toBe('[redacted]')
  })
})
