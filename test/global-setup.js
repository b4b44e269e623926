// Process-level tests run the compiled CLI (dist/), so it is rebuilt from the sources under test first.
const { execFileSync } = require('node:child_process')
const { join } = require('node:path')

module.exports = async function buildDist() {
  const root = join(__dirname, '..')
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit'
  })
}
