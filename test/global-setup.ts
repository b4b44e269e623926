// Process-level tests run the compiled CLI (dist/), so it is rebuilt from the sources under test first. dist/ is
// emptied first: a stale file left by an older layout (dist/runner/config.js beside dist/runner/config/) would
// otherwise shadow the module that replaced it.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'

export default async function buildDist(): Promise<void> {
  const root = join(__dirname, '..')
  rmSync(join(root, 'dist'), { recursive: true, force: true })
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit'
  })
}
