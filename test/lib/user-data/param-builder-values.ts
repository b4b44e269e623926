/**
 * Realistic customer-information values per user_data key, for the differential test against Meta's param builder:
 * names in many scripts, phones of many countries in national and international writing, dates in many orders
 * with times, addresses from many countries, pre-hashed values. Not a test file itself.
 */
import fc from 'fast-check'
import { getExampleNumber } from 'libphonenumber-js'
import type { CountryCode } from 'libphonenumber-js'
import examples from 'libphonenumber-js/examples.mobile.json'
import { createHash } from 'node:crypto'
import type { OracleKey } from './param-builder-oracle'

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values)
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const md5 = (text: string) => createHash('md5').update(text).digest('hex')

/** The same text as people type it: any case, stray spaces, sometimes decomposed accents. */
function typed(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(text, pick(['as', 'upper', 'lower', 'title']), pick(['', ' ', '  ', '\t']), fc.boolean())
    .map(([value, casing, pad, nfd]) => {
      let out = value
      if (casing === 'upper') out = out.toUpperCase()
      if (casing === 'lower') out = out.toLowerCase()
      if (casing === 'title') out = out.replace(/(^|\s)\p{Ll}/gu, (letter) => letter.toUpperCase())
      return `${pad}${nfd ? out.normalize('NFD') : out}${pad}`
    })
}

const GIVEN_NAMES = [
  'Mary',
  'John',
  'Jean-Luc',
  "O'Brien",
  'Valéry',
  'José',
  'Zoë',
  'Łukasz',
  'Søren',
  'Ægir',
  'Björn',
  'Ñuño',
  'Anne Marie',
  'Mary-Kate',
  'Dr. Smith',
  'Jr.',
  'Александр',
  'Ольга',
  'Γιώργος',
  'Ελένη',
  'محمد',
  'فاطمة',
  'דוד',
  'שרה',
  '太郎',
  '花子',
  '明',
  '정',
  '김민준',
  'राहुल',
  'प्रिया',
  'สมชาย',
  'Nguyễn',
  'Thảo',
  'Ayşe',
  'Çağrı',
  'Kofi',
  'Oluwaseun',
  'Siobhán',
  'Ólafur',
  'Mary–Jane',
  'Renée',
  'François',
  'Chloë',
  'Ioana',
  'Ștefan'
]
const GENDER_WORDS = [
  'f',
  'm',
  'F',
  'M',
  'female',
  'male',
  'Female',
  'MALE',
  'woman',
  'man',
  'girl',
  'boy',
  'mr',
  'Mrs',
  'ms',
  'miss',
  'sir',
  'mister',
  'madam',
  "ma'am",
  'mom',
  'dad',
  'son',
  'daughter',
  'brother',
  'sister',
  'he',
  'she',
  'him',
  'her',
  'femme',
  'homme',
  'Frau',
  'Herr',
  'weiblich',
  'männlich',
  'mujer',
  'hombre',
  'donna',
  'uomo',
  'w',
  'other',
  'nonbinary',
  'unknown',
  'prefer not to say',
  'x',
  'F.',
  'M.',
  'Male ',
  ' female'
]
const CITIES = [
  'Menlo Park',
  'New York',
  'San José',
  'São Paulo',
  'Montréal',
  'Zürich',
  'København',
  'Kraków',
  'Málaga',
  'St. Louis',
  'Winston-Salem',
  "Coeur d'Alene",
  'Los Angeles 90001',
  'Москва',
  '東京',
  '北京',
  'القاهرة',
  'Αθήνα',
  'München',
  'Reykjavík',
  'Ho Chi Minh City',
  'Hà Nội',
  'İstanbul',
  'Łódź',
  'Göteborg',
  'Paris',
  'London',
  'Berlin',
  'Sydney',
  'Toronto',
  'Mexico City',
  'Bogotá',
  'Lagos',
  'Nairobi',
  'Mumbai',
  'मुंबई',
  'กรุงเทพมหานคร',
  'Seoul',
  '서울'
]
const STATES = [
  'California',
  'CA',
  'ca',
  'New York',
  'NY',
  'Texas',
  'TX',
  'Florida',
  'Massachusetts',
  'North Carolina',
  'West Virginia',
  'Virginia',
  'Washington',
  'Ontario',
  'ON',
  'Quebec',
  'Québec',
  'British Columbia',
  'Alberta',
  'Nova Scotia',
  'Prince Edward Island',
  'Texas, USA',
  'State of New York',
  'New York State',
  'Commonwealth of Massachusetts',
  'CaliforniaUSA',
  'OntarioCanada',
  'Calif.',
  'Fla.',
  'Mass.',
  'Wash.',
  'N. Carolina',
  'Tenn.',
  'Penn.',
  'Ont.',
  'PEI',
  'N.Y.',
  'Bavaria',
  'Bayern',
  'Île-de-France',
  'Catalunya',
  'Nuevo León',
  'São Paulo',
  'New South Wales',
  'NSW',
  'Queensland',
  'Tokyo',
  '東京都',
  'Maharashtra',
  'Lombardia',
  'Andalucía',
  'Scotland',
  'England',
  'Gauteng',
  'Jalisco'
]
const COUNTRIES = [
  'United States',
  'US',
  'us',
  'USA',
  'United States of America',
  'Germany',
  'Deutschland',
  'DE',
  'DEU',
  'España',
  'Spain',
  'México',
  'Mexico',
  'Brasil',
  'Brazil',
  'Belgique',
  'België',
  'Norge',
  'Norway',
  'România',
  'France',
  'FR',
  'United Kingdom',
  'GB',
  'Italia',
  'Italy',
  'Nederland',
  'Netherlands',
  'Sverige',
  'Danmark',
  'Suomi',
  'Polska',
  'Österreich',
  'Schweiz',
  'Suisse',
  'Canada',
  'Japan',
  'JP',
  'Australia',
  'India',
  'Laos',
  'Syria',
  'Vatican',
  'Macedonia',
  'Viet Nam',
  'Vietnam',
  'Korea Republic of',
  'South Korea',
  "Côte d'Ivoire",
  'United-States',
  'United_States',
  'United.States',
  'United States 🇺🇸',
  'Germany (DE)',
  'Türkiye',
  'Ireland',
  'New Zealand',
  'South Africa',
  'Argentina',
  'Colombia',
  'Nigeria',
  'Kenya',
  'Egypt',
  'Philippines',
  'Indonesia'
]
const STREET_ZIPS = [
  '94035',
  '94035-1234',
  '940351234',
  '02139',
  '10001',
  'M1 1AE',
  'SW1A 1AA',
  'EC1A 1BB',
  '100-0001',
  '00-950',
  '75018',
  '10115',
  '1012 AB',
  'K1A 0B1',
  'H3Z 2Y7',
  '01310-100',
  '2000',
  '110001',
  '560 01',
  '1050-001',
  '28013',
  '00100',
  '0150',
  '8001',
  '9000-00'
]
const DOMAINS = ['gmail.com', 'Example.COM', 'yahoo.co.uk', 'outlook.com', 'mail.example.org', 'web.de', 'proton.me']

const emails = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,8}(?:[._+-][a-z0-9]{1,6}){0,2}$/), pick(DOMAINS), pick(['', ' ', 'x']))
  .map(([local, domain, junk]) => (junk === 'x' ? `${local}${domain}` : `${junk}${local}@${domain}${junk}`))

const PHONE_COUNTRIES = [
  'US',
  'GB',
  'DE',
  'FR',
  'IT',
  'ES',
  'JP',
  'BR',
  'IN',
  'MX',
  'AU',
  'CA',
  'NL',
  'PL',
  'SE',
  'KR',
  'ZA',
  'NG'
] as const

/** A real example number of a country, with its last digits varied, written as people write it. */
const phones = fc
  .tuple(
    pick(PHONE_COUNTRIES),
    fc.integer({ min: 0, max: 99 }),
    pick(['e164', 'intl', '00', 'national', 'digits']),
    pick(['', ' ext. 12', ' x123', ''])
  )
  .map(([country, tail, style, extension]) => {
    const example = getExampleNumber(country as CountryCode, examples)
    if (!example) return '+1 650 555 1212'
    const national = example.nationalNumber.slice(0, -2) + String(tail).padStart(2, '0')
    const number = getExampleNumber(country as CountryCode, { ...examples, [country]: national })
    const value = number ?? example
    const written =
      style === 'e164'
        ? value.number
        : style === 'intl'
          ? value.formatInternational()
          : style === '00'
            ? value.formatInternational().replace('+', '00')
            : style === 'national'
              ? value.formatNational()
              : value.number.slice(1)
    return `${written}${extension}`
  })

/** Dates in many orders and separators, sometimes with a time; sometimes days a month does not have. */
const dates = fc
  .tuple(
    fc.integer({ min: 1890, max: 2027 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 31 }),
    pick(['ymd', 'mdy', 'dmy', 'ydm', 'compact']),
    pick(['-', '/', '.', ' ']),
    pick(['', ' 10:30', 'T00:00:00Z', ' 00:00', '-01', 'T23:30:00-05:00']),
    fc.boolean()
  )
  .map(([year, month, day, order, separator, time, pad]) => {
    const [mm, dd] = [month, day].map((part) => (pad ? String(part).padStart(2, '0') : String(part)))
    if (order === 'compact') return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`
    const orders: Record<string, (string | number)[]> = {
      ymd: [year, mm, dd],
      mdy: [mm, dd, year],
      dmy: [dd, mm, year],
      ydm: [year, dd, mm]
    }
    const parts = orders[order] ?? []
    return parts.join(separator) + time
  })

const externalIds = fc.oneof(
  fc.uuid(),
  fc.integer({ min: 1, max: 99_999_999 }).map(String),
  fc.stringMatching(/^ ?[A-Za-z]{2,5}[-_]?\d{1,6} ?$/),
  fc.string({ minLength: 32, maxLength: 32, unit: fc.constantFrom(...'0123456789abcdef') })
)

/** Values already hashed upstream: SHA-256 or MD5 in any case, or Meta's param-builder output. */
const prehashed = fc
  .tuple(fc.string({ maxLength: 12 }), pick(['sha', 'SHA', 'md5', 'pb', 'legacy']))
  .map(([text, kind]) => {
    if (kind === 'sha') return sha256(text)
    if (kind === 'SHA') return sha256(text).toUpperCase()
    if (kind === 'md5') return md5(text)
    return kind === 'pb' ? `${sha256(text)}.AQQCAQMC` : `${sha256(text)}.BA`
  })

const BY_KEY: Record<OracleKey, fc.Arbitrary<string>> = {
  em: emails,
  ph: phones,
  fn: typed(pick(GIVEN_NAMES)),
  ln: typed(pick(GIVEN_NAMES)),
  ge: typed(pick(GENDER_WORDS)),
  db: dates,
  ct: typed(pick(CITIES)),
  st: typed(pick(STATES)),
  zp: typed(pick(STREET_ZIPS)),
  country: typed(pick(COUNTRIES)),
  external_id: externalIds
}

/** A realistic value of the key, or (one time in ten) a value that was hashed upstream. */
export function valuesOf(key: OracleKey): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: BY_KEY[key], weight: 9 }, { arbitrary: prehashed, weight: 1 })
}
