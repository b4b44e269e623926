import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { META_ERROR_CODES, UNKNOWN_META_ERROR, errorCodeRow } from '../../../src/lib/contract/error-codes'

const README = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8')

/** The README's error table as { first cell → [status cell, retry cell] }. */
function readmeErrorTable(): Map<string, [string, string]> {
  const start = README.indexOf('| Meta answer | Status | Retry? |')
  const rows = README.slice(start).split('\n').slice(2)
  const table = new Map<string, [string, string]>()
  for (const line of rows) {
    if (!line.startsWith('|')) break
    const [answer, status, retry] = line
      .split('|')
      .slice(1, 4)
      .map((cell) => cell.trim())
    table.set(answer, [status, retry])
  }
  return table
}

describe('the error code table', () => {
  const rows = [...META_ERROR_CODES, UNKNOWN_META_ERROR]

  it('says retryable exactly for 429 and 5xx', () => {
    for (const row of rows)
      expect([row.readme, row.retryable]).toEqual([row.readme, row.status === 429 || row.status >= 500])
  })

  it('agrees with the README table row by row on status and retry', () => {
    const table = readmeErrorTable()
    for (const row of rows) {
      const entry = [...table.entries()].find(([answer]) => answer.startsWith(row.readme))
      expect(entry).toBeDefined()
      const [answer, [status, retry]] = entry!
      expect([answer, status.startsWith(String(row.status)) || (status === '5xx' && row.status >= 500)]).toEqual([
        answer,
        true
      ])
      expect([answer, retry.startsWith(row.retryable ? 'yes' : 'no')]).toEqual([answer, true])
    }
  })

  it('lists in the README every code the table names', () => {
    const table = readmeErrorTable()
    for (const row of META_ERROR_CODES) {
      const answer = [...table.keys()].find((key) => key.startsWith(row.readme))!
      for (const span of row.codes ?? []) {
        if (typeof span === 'number') expect([row.readme, answer.includes(String(span))]).toEqual([row.readme, true])
      }
    }
  })

  it('matches the first row in order: a rate-limit code flagged transient is still a rate limit', () => {
    expect(errorCodeRow({ code: 613, isTransient: true }).kind).toBe('rate_limit')
    expect(errorCodeRow({ code: 80014, isTransient: false }).kind).toBe('rate_limit')
    expect(errorCodeRow({ code: 80015, isTransient: false })).toBe(UNKNOWN_META_ERROR)
    expect(errorCodeRow({ code: -3, isTransient: false }).status).toBe(500)
    expect(errorCodeRow({ code: 100, subcode: 33, isTransient: false }).kind).toBe('configuration')
    expect(errorCodeRow({ code: 100, subcode: 2804050, isTransient: false }).kind).toBe('data')
    expect(errorCodeRow({ isTransient: true }).status).toBe(503)
    expect(errorCodeRow({ isTransient: false })).toBe(UNKNOWN_META_ERROR)
  })
})
