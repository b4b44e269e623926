// Process-level tests run the compiled CLI (dist/), so it is rebuilt from the sources under test first.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

export default async function buildDist(): Promise<void> {
  const root = join(__dirname, '..')
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit'
  })
}
