import { createHash } from 'node:crypto'
import {
  buildUserData,
  fbcFromUrl,
  hashNormalised,
  Normalised,
  normaliseCity,
  normaliseCountry,
  normaliseDateOfBirth,
  normaliseEmail,
  normaliseExternalId,
  normaliseGender,
  normaliseName,
  normalisePhone,
  normaliseState,
  normaliseZip,
  NormaliseContext
} from '../../../src/lib/user-data'
import vectors from './golden-vectors.json'

interface GoldenRow {
  source: string
  key: string
  raw: unknown
  options?: NormaliseContext
  normalised?: string
  sha256?: string
  prehashed?: boolean
  dropped?: boolean
}

const NORMALISERS: Record<string, (raw: unknown, options?: NormaliseContext) => Normalised> = {
  em: normaliseEmail,
  ph: normalisePhone,
  fn: normaliseName,
  ln: normaliseName,
  ge: normaliseGender,
  db: normaliseDateOfBirth,
  ct: normaliseCity,
  st: normaliseState,
  zp: normaliseZip,
  country: normaliseCountry,
  external_id: normaliseExternalId
}

const rows = vectors as GoldenRow[]
const hashedRows = rows.filter((row) => row.key in NORMALISERS)
const title = (row: GoldenRow) => `${row.key} ${JSON.stringify(row.raw)} (${row.source})`

describe('golden vectors', () => {
  it('cover every supported row of the worked-examples table', () => {
    const tableRows = rows.map((row) => /6\.6 row (\d+)/.exec(row.source)?.[1]).filter(Boolean)
    expect(tableRows).toEqual([...Array.from({ length: 19 }, (_, i) => String(i + 1)), '25', '26'])
  })

  it('carry expected hashes that really are the SHA-256 of the expected normalised value', () => {
    for (const row of hashedRows.filter((r) => r.sha256 && !r.prehashed)) {
      expect(createHash('sha256').update(row.normalised!, 'utf8').digest('hex')).toBe(row.sha256)
    }
  })

  describe.each(hashedRows.filter((row) => !row.dropped && !row.prehashed).map((row) => [title(row), row]))(
    '%s',
    (_, row) => {
      const normalise = (raw: unknown) => NORMALISERS[row.key](raw, row.options)

      it('normalises to the expected string', () => {
        expect(normalise(row.raw)).toEqual({ value: row.normalised })
      })

      it('hashes to the expected SHA-256', () => {
        expect(hashNormalised(row.raw, normalise)).toEqual({ value: row.sha256 })
      })
    }
  )

  it.each(hashedRows.filter((row) => row.prehashed).map((row) => [title(row), row]))(
    '%s passes through lowercased, not hashed again',
    (_, row) => {
      expect(hashNormalised(row.raw, NORMALISERS[row.key])).toEqual({ value: row.sha256 })
      expect(row.sha256).toBe(row.normalised)
    }
  )

  it.each(hashedRows.filter((row) => row.dropped).map((row) => [title(row), row]))('%s is dropped', (_, row) => {
    const result = NORMALISERS[row.key](row.raw, row.options)
    expect(result).toEqual({ dropped: expect.any(String) })
    expect(hashNormalised(row.raw, (raw) => NORMALISERS[row.key](raw, row.options))).toEqual(result)
  })

  it.each(rows.filter((row) => row.key === 'fbc').map((row) => [title(row), row]))(
    '%s is built from the URL and sent unchanged',
    (_, row) => {
      const { url, creationTimeMs } = row.raw as { url: string; creationTimeMs: number }
      const fbc = fbcFromUrl(url, creationTimeMs)
      expect(fbc).toBe(row.normalised)
      expect(buildUserData({ fbc }).userData).toEqual({ fbc: row.normalised })
    }
  )
})
