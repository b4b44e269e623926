// Process-level tests run the compiled CLI (dist/), so it is rebuilt from the sources under test first. dist/ is
// emptied first: a stale file left by an older layout (dist/runner/config.js beside dist/runner/config/) would
// otherwise shadow the module that replaced it.
import { execFileSync } from 'node:child_process'
import { chmodSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

export default async function buildDist(): Promise<void> {
  const root = join(__dirname, '..')
  rmSync(join(root, 'dist'), { recursive: true, force: true })
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit'
  })
  // The emptied dist/ lost the executable bit npm gave the CLI at install; without it `npx meta-pixel` fails after
  // `npm test` ("Permission denied").
  const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }
  for (const file of Object.values(bin)) chmodSync(join(root, file), 0o755)
}
