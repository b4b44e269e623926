import { dropped, kept, normaliseText, Normalised } from './normalised'

const FIRST_VALID_YEAR = 1900
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/

interface CalendarDate {
  year: number
  month: number
  day: number
}

/**
 * Date of birth as YYYYMMDD, read as capi-param-builder reads it: the first three groups of digits, whatever
 * follows them (a time, more numbers), so "1997-02-16T00:00:00-05:00" is still the 16th (no Date, no time zone).
 * Only real calendar dates between 1900 and this year are accepted (Meta's docs); capi-param-builder also passes
 * 30 February and years back to 1800.
 */
export function normaliseDateOfBirth(raw: unknown): Normalised {
  return normaliseText(raw, (text) => {
    const date = parseDate(text)
    if (!date) return dropped('not a recognised date')
    if (date.year < FIRST_VALID_YEAR || date.year > new Date().getUTCFullYear()) return dropped('year out of range')
    if (!isRealDate(date)) return dropped('not a real calendar date')
    return kept(formatYyyymmdd(date))
  })
}

function parseDate(text: string): CalendarDate | undefined {
  const compact = COMPACT_DATE.exec(text)
  if (compact) return { year: Number(compact[1]), month: Number(compact[2]), day: Number(compact[3]) }
  const groups = text.split(/\D+/).filter(Boolean)
  return groups.length >= 3 ? fromThreeNumbers(groups.slice(0, 3).map(Number)) : undefined
}

/**
 * capi-param-builder's reading of three numbers in any order: a leading year means Y-M-D (Y-D-M when the
 * middle one cannot be a month: 1997-13-01 is 13 January); a year in the middle is read D-Y-M or M-Y-D the same way;
 * otherwise the year is last and an ambiguous date is read month-first, US style, unless the first number cannot
 * be a month. A two-digit year stays as it is and fails the year range.
 */
function fromThreeNumbers([first, second, third]: number[]): CalendarDate {
  if (first > 31) {
    return second > 12 ? { year: first, month: third, day: second } : { year: first, month: second, day: third }
  }
  if (second > 31) {
    return third > 12 ? { year: second, month: first, day: third } : { year: second, month: third, day: first }
  }
  return first > 12 ? { year: third, month: second, day: first } : { year: third, month: first, day: second }
}

function isRealDate({ year, month, day }: CalendarDate): boolean {
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

function formatYyyymmdd({ year, month, day }: CalendarDate): string {
  return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`
}
