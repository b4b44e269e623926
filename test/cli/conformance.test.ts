import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { findFixtureFiles } from '../../src/conformance/load'
import { ROOT, runCli, stopChildren, tempDir } from './support'
import { lead, NOW } from '../conformance/events'

afterEach(stopChildren)

const SHIPPED = join(ROOT, 'conformance', 'fixtures')
const shippedCount = findFixtureFiles(SHIPPED).length

describe('meta-pixel conformance', () => {
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => {
    dir = tempDir()
  })
  afterEach(() => dir.remove())

  it('runs every shipped fixture and prints the table and the closing line', async () => {
    expect(shippedCount).toBeGreaterThan(100)

    const result = await runCli(['conformance'])

    const lines = result.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^RESULT\s+FIXTURE\s+REASON$/)
    expect(lines).toHaveLength(shippedCount + 2)
    expect(lines.at(-1)).toBe(`${shippedCount} passed, 0 failed`)
    expect(result.code).toBe(0)
  })

  it("adds a user's own folder, labelled by its name, and exits 1 when one of its fixtures fails", async () => {
    const mine = join(dir.path, 'my-fixtures')
    mkdirSync(mine)
    writeFileSync(
      join(mine, 'good.json'),
      JSON.stringify({ name: 'good', now: NOW, input: lead('a'), expected: { status: 200 } })
    )
    writeFileSync(
      join(mine, 'bad.json'),
      JSON.stringify({ name: 'bad', now: NOW, input: lead('b'), expected: { status: 400 } })
    )

    const result = await runCli(['conformance', mine])

    const lines = result.stdout.trim().split('\n')
    expect(lines.at(-1)).toBe(`${shippedCount + 1} passed, 1 failed`)
    expect(lines.find((line) => line.includes('my-fixtures/bad.json'))).toMatch(
      /^FAIL\s+my-fixtures\/bad\.json › bad\s+expected status 400 but got 200/
    )
    expect(lines.find((line) => line.includes('my-fixtures/good.json'))).toMatch(/^pass\s/)
    expect(result.code).toBe(1)
  })

  it('starts from the --config settings instead of the reference ones, and never prints the token', async () => {
    const mine = join(dir.path, 'agent')
    mkdirSync(mine)
    writeFileSync(
      join(mine, 'mapped.json'),
      JSON.stringify({ name: 'maps', now: NOW, input: lead('m-1'), expected: { status: 200 } })
    )
    const token = 'EAAB-conformance-config-token'
    writeFileSync(
      dir.file('config.json'),
      JSON.stringify({
        pixelId: '123456789012399',
        accessToken: token,
        partnerAgent: 'my-agent',
        defaultActionSource: 'website'
      })
    )
    writeFileSync(
      join(mine, 'request.json'),
      JSON.stringify({
        name: 'request carries my partner agent and pixel token',
        now: NOW,
        settings: { testEventCode: token },
        input: lead('m-2'),
        expected: { request: { partner_agent: 'reference-agent' } }
      })
    )

    const withConfig = await runCli(['conformance', '--no-shipped', '--config', dir.file('config.json'), mine])

    expect(withConfig.stdout).not.toContain(token)
    // The request carried the configured agent, so the expectation written for another agent fails and says so.
    expect(withConfig.stdout).toContain('$.request.partner_agent: expected "reference-agent" but got "my-agent"')
    expect(withConfig.stdout.trim().split('\n').at(-1)).toBe('1 passed, 1 failed')

    const withoutConfig = await runCli(['conformance', '--no-shipped', mine])
    expect(withoutConfig.stdout).toContain(
      '$.request.partner_agent: expected "reference-agent" but got "acme-capi-plugin-1.0.0"'
    )
  })

  it('says what is wrong when there is nothing to run (exit 2) or the folder does not exist (exit 1)', async () => {
    const nothing = await runCli(['conformance', '--no-shipped'])
    expect([nothing.code, nothing.stderr]).toEqual([
      2,
      'meta-pixel: no fixtures to run: name a folder, or leave out --no-shipped\n'
    ])

    const missing = await runCli(['conformance', '--no-shipped', dir.file('absent')])
    expect(missing.code).toBe(1)
    expect(missing.stdout).toContain('ENOENT')
    expect(missing.stdout.trim().split('\n').at(-1)).toBe('0 passed, 0 failed')
  })

  it('finds the shipped fixtures from an installed copy of the package, which has no test/ folder', async () => {
    const installed = join(dir.path, 'node_modules', 'meta-pixel-destination')
    cpSync(join(ROOT, 'dist'), join(installed, 'dist'), { recursive: true })
    cpSync(SHIPPED, join(installed, 'conformance', 'fixtures'), { recursive: true })
    cpSync(join(ROOT, 'package.json'), join(installed, 'package.json'))
    symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'), 'dir')

    const output = execFileSync(process.execPath, [join(installed, 'dist', 'cli', 'index.js'), 'conformance'], {
      cwd: dir.path,
      encoding: 'utf8'
    })

    expect(output.trim().split('\n').at(-1)).toBe(`${shippedCount} passed, 0 failed`)
  })

  it('ships the fixtures in the package (package.json files), and no test/ folder', () => {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })
    ) as { files: { path: string }[] }[]
    const paths = pack.files.map((file) => file.path)

    expect(paths.filter((path) => path.startsWith('conformance/fixtures/'))).toHaveLength(shippedCount)
    expect(paths.filter((path) => path.startsWith('test/'))).toEqual([])
  })
})
