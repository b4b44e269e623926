import js from '@eslint/js'
import regexp from 'eslint-plugin-regexp'
import tseslint from 'typescript-eslint'

/** An import that climbs out of its folder into one of these top-level parts of src/. */
const into = (...parts) => `^(\\.\\./)+(${parts.join('|')})(/|$)`
const layer = (files, regex, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ regex, message }] }] }
})

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'bench/.build/**',
      'bench/.segment/**',
      '*.js',
      '*.mjs',
      'scripts/*.js',
      'esm/*.mjs'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { plugins: { regexp } },
  {
    // The browser pages' plain scripts (no build step), loaded as ES modules.
    files: ['web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['document', 'window', 'fetch', 'navigator', 'Node', 'CSS', 'URL', 'Blob', 'setTimeout', 'clearTimeout'].map(
          (name) => [name, 'readonly']
        )
      )
    }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // User-controlled strings reach these patterns: any super-linear backtracking is a denial of service.
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      'regexp/no-dupe-disjunctions': 'error',
      'regexp/no-misleading-capturing-group': 'error'
    }
  },
  // The layers (README "Layout"): lib ← destination ← runner ← conformance (on the sandbox), cli, service.
  // A layer imports only from the layers below it; the sandbox stands apart, on the contract alone.
  layer(
    ['src/lib/**/*.ts'],
    into('destinations', 'runner', 'conformance', 'cli', 'service', 'sandbox', 'bench'),
    'src/lib is pure and host-independent: it must not import the destination, the runner or the tools above it.'
  ),
  layer(
    // Meta's contract as data. The user_data table names the normaliser of each key, so it may import them.
    ['src/lib/contract/**/*.ts'],
    '^\\.\\./(?!is-record$|user-data/)',
    "src/lib/contract states Meta's contract: it imports only itself, src/lib/is-record and the user-data normalisers."
  ),
  layer(
    ['src/destinations/**/*.ts'],
    into('runner', 'conformance', 'cli', 'service', 'sandbox', 'bench'),
    'The destination is what a host loads: it must not import the runner, CLI, service or sandbox.'
  ),
  layer(
    ['src/runner/**/*.ts'],
    into('conformance', 'cli', 'service', 'sandbox', 'bench'),
    'The runner sits below the CLI and the service and talks to Meta (or a sandbox) only over HTTP.'
  ),
  layer(
    // The suite runs the runner against the sandbox, which stands in for Meta and knows no runner.
    ['src/conformance/**/*.ts'],
    into('cli', 'service', 'bench'),
    'The conformance suite sits beside the CLI: it may use the runner and the sandbox, not the CLI or the service.'
  ),
  layer(
    ['src/service/**/*.ts'],
    into('cli', 'conformance', 'sandbox', 'bench'),
    'The service is a front door beside the CLI; it must not import the CLI, the sandbox or the tools.'
  ),
  layer(
    ['src/sandbox/**/*.ts'],
    '^\\.\\./(?!lib/(?:contract/|is-record$|http-body$)|pages/static$)',
    "The sandbox stands in for Meta: it depends on Meta's contract (src/lib/contract), small pure libs and the pages' file server only."
  )
)
