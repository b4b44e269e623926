/**
 * Does what a host does, at each end of the peer range: packs this package, installs the tarball beside
 * @segment/actions-core in a fresh project under the OS temp dir, and runs there, in child node processes, the code
 * of the README's "Use it in an actions-core host" section exactly as written, against the sandbox.
 * It needs the npm registry; both installs share npm's cache, so the second one fetches little. Installing takes
 * tens of seconds on a loaded machine, hence this file's own generous timeout (nothing here measures speed).
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startSandbox } from '../../src/sandbox'
import type { Sandbox } from '../../src/sandbox'

jest.setTimeout(15 * 60 * 1000)

const run = promisify(execFile)
const ROOT = join(__dirname, '..', '..')
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const TOKEN = 'EAAB-host-install-token'
const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/605.1.15'
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** Both ends of the peer range package.json declares, so the test follows the declaration. */
function peerRangeEnds(): [string, string] {
  const range: string = PACKAGE.peerDependencies['@segment/actions-core']
  const ends = /^>=(\d+\.\d+\.\d+) <=(\d+\.\d+\.\d+)$/.exec(range)
  if (!ends) throw new Error(`expected a ">=low <=high" peer range for @segment/actions-core, got ${range}`)
  return [ends[1], ends[2]]
}

/** The README section's code blocks, by the file name each one's first line gives (`// host.mjs`). */
function readmeFiles(): Record<string, string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.split('\n## Use it in an actions-core host\n')[1]?.split('\n### ')[0] ?? ''
  const files: Record<string, string> = {}
  for (const block of section.split('```').filter((_, index) => index % 2 === 1)) {
    const name = /^(?:js|ts)\n\/\/ (\S+)\n/.exec(block)?.[1]
    if (name) files[name] = block.slice(block.indexOf('\n') + 1)
  }
  return files
}

/**
 * Under `npm test` the environment carries the outer npm's settings, among them npm_config_local_prefix (this
 * repository): left in place, an install would go into the repository instead of the host. The cache, registry
 * and user config stay, so both hosts share npm's cache.
 */
function npmEnvironment(): NodeJS.ProcessEnv {
  const outerRun = /^npm_(package_|lifecycle_|command$|config_(local_prefix|prefix|global|call|workspaces?)$)/
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !outerRun.test(key)))
}

const npm = (cwd: string, args: string[]) =>
  run('npm', args, { cwd, env: npmEnvironment(), maxBuffer: 64 * 1024 * 1024 })

let workDir: string
let tarball: string
let sandbox: Sandbox
const files = readmeFiles()

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'meta-pixel-host-'))
  // dist was just built by jest's global setup; packing must not rebuild it.
  const { stdout } = await npm(ROOT, ['pack', '--ignore-scripts', '--json', '--pack-destination', workDir])
  tarball = join(workDir, JSON.parse(stdout)[0].filename)
  sandbox = await startSandbox({ accessTokens: [TOKEN] })
})

afterAll(async () => {
  await sandbox?.close()
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

it('the README section holds the three files the host runs', () => {
  expect(Object.keys(files).sort()).toEqual(['host.cjs', 'host.mjs', 'host.ts'])
})

it('ships the destination, runner, types, ESM entry, fixtures and licence; no benchmark, no source maps', async () => {
  const { stdout } = await npm(ROOT, ['pack', '--ignore-scripts', '--dry-run', '--json'])
  const shipped: string[] = JSON.parse(stdout)[0].files.map((file: { path: string }) => file.path)

  for (const path of [
    'LICENSE',
    'README.md',
    'package.json',
    'dist/index.js',
    'dist/index.d.ts',
    'esm/index.mjs',
    'esm/index.d.mts',
    'dist/destinations/meta-pixel/index.js',
    'dist/lib/capi-event/index.js',
    'dist/runner/engine.js',
    'dist/cli/index.js',
    'dist/conformance/index.js',
    'examples/segment.jsonl'
  ]) {
    expect({ path, shipped: shipped.includes(path) }).toEqual({ path, shipped: true })
  }
  expect(
    shipped.filter((path) => path.startsWith('conformance/fixtures/') && path.endsWith('.json')).length
  ).toBeGreaterThan(0)
  expect(
    shipped.filter((path) => path.endsWith('.map') || path.startsWith('dist/bench/') || path.startsWith('src/'))
  ).toEqual([])
})

describe.each(peerRangeEnds().map((version, end) => [version, `${end + 1}${'0'.repeat(14)}`]))(
  'a fresh host on @segment/actions-core %s',
  (actionsCore, pixelId) => {
    let host: string
    const node = (args: string[], env: Record<string, string> = {}) =>
      run(process.execPath, args, { cwd: host, env: { ...process.env, ...env } })

    beforeAll(async () => {
      host = join(workDir, `host-${actionsCore}`)
      mkdirSync(host)
      writeFileSync(join(host, 'package.json'), JSON.stringify({ name: 'host', version: '1.0.0', private: true }))
      // What a user types: the host's actions-core and the tarball, no overrides, whatever npm resolves today.
      await npm(host, ['install', '--no-audit', '--no-fund', `@segment/actions-core@${actionsCore}`, tarball])
      for (const [name, text] of Object.entries(files)) writeFileSync(join(host, name), text)
    })

    it('has exactly one copy of actions-core and of destination-subscriptions', async () => {
      for (const name of ['@segment/actions-core', '@segment/destination-subscriptions']) {
        const { stdout } = await npm(host, ['ls', name, '--all', '--parseable'])
        expect(stdout.trim().split('\n')).toEqual([join(host, 'node_modules', name)])
      }
      const { stdout } = await npm(host, ['ls', '@segment/actions-core', '--all', '--json'])
      const tree = JSON.parse(stdout)
      expect(tree.dependencies['@segment/actions-core'].version).toBe(actionsCore)
      expect(tree.dependencies['meta-pixel-destination'].dependencies).toEqual({
        '@segment/actions-core': { version: actionsCore }
      })
    })

    it("runs the README's host.mjs: onEvent with the Purchase preset, then a batch whose invalid event fails alone", async () => {
      const startSeconds = Math.floor(Date.now() / 1000)
      const { stdout } = await node(['host.mjs'], {
        META_GRAPH_URL: sandbox.url,
        META_PIXEL_ID: pixelId,
        META_ACCESS_TOKEN: TOKEN
      })
      const endSeconds = Math.ceil(Date.now() / 1000)

      expect(JSON.parse(stdout)).toEqual({
        onEvent: 'Action Executed',
        executeBatch: [
          { status: 200 },
          { status: 400, errormessage: 'currency "US$" is not an ISO-4217 code' },
          { status: 200 }
        ]
      })
      const received = sandbox.received().filter((record) => record.pixelId === pixelId)
      expect(received.map((record) => record.partnerAgent)).toEqual(
        Array(3).fill(`meta-pixel-destination-${PACKAGE.version}`)
      )
      const purchase = (id: string, currency: string) => ({
        event_name: 'Purchase',
        event_time: expect.any(Number),
        event_id: id,
        action_source: 'website',
        event_source_url: 'https://shop.example.com/thank-you',
        user_data: {
          em: [sha256('jane.doe@example.com')],
          external_id: [sha256('user-42')],
          client_ip_address: '203.0.113.7',
          client_user_agent: UA
        },
        custom_data: {
          value: 25,
          currency,
          contents: [{ id: 'sku-1', quantity: 1, item_price: 25 }],
          content_ids: ['sku-1'],
          content_type: 'product',
          order_id: id,
          num_items: 1
        }
      })
      expect(received.map((record) => record.event)).toEqual([
        purchase('order-1', 'USD'),
        purchase('order-2', 'USD'),
        purchase('order-4', 'EUR')
      ])
      for (const { event } of received) {
        expect(event.event_time).toBeGreaterThanOrEqual(startSeconds)
        expect(event.event_time).toBeLessThanOrEqual(endSeconds)
      }
    })

    it("runs the README's host.cjs; require and native import give one and the same definition", async () => {
      expect((await node(['host.cjs'])).stdout).toBe('Meta-Pixel-Conversions-API\n')
      const both =
        "import metaPixel from 'meta-pixel-destination'\n" +
        "import { createRequire } from 'node:module'\n" +
        "const required = createRequire(import.meta.url)('meta-pixel-destination')\n" +
        'console.log(metaPixel === required.default, metaPixel.presets.length, metaPixel.name)\n'
      expect((await node(['--input-type=module', '-e', both])).stdout).toBe('true 19 Meta-Pixel-Conversions-API\n')
    })

    it("compiles the README's host.ts as CommonJS and as native ESM against the package's types", async () => {
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
      const common = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022']
      writeFileSync(join(host, 'host.mts'), files['host.ts'])

      await node([tsc, ...common, '--module', 'commonjs', '--esModuleInterop', 'host.ts'])
      await node([tsc, ...common, '--module', 'nodenext', '--moduleResolution', 'nodenext', 'host.mts'])
    })

    it('runs the installed CLI: `meta-pixel map` hashes and maps an event without any network', async () => {
      const event = {
        type: 'track',
        event: 'order_completed',
        messageId: 'cli-1',
        timestamp: new Date().toISOString(),
        userId: 'user-42',
        context: { ip: '203.0.113.7', userAgent: UA, page: { url: 'https://shop.example.com/' } },
        properties: { revenue: 5, currency: 'usd' }
      }
      writeFileSync(join(host, 'events.jsonl'), `${JSON.stringify(event)}\n`)

      const { stdout } = await node([join(host, 'node_modules', '.bin', 'meta-pixel'), 'map', 'events.jsonl'])

      expect(JSON.parse(stdout)).toMatchObject({
        index: 0,
        event: {
          event_name: 'Purchase',
          event_id: 'cli-1',
          user_data: { external_id: [sha256('user-42')] },
          custom_data: { value: 5, currency: 'USD' }
        }
      })
    })
  }
)
