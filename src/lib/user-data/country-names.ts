import { getNames, registerLocale } from 'i18n-iso-countries'
import type { LocaleData } from 'i18n-iso-countries'
import { foldedLatinLetters } from './text'
import en from 'i18n-iso-countries/langs/en.json'
import de from 'i18n-iso-countries/langs/de.json'
import fr from 'i18n-iso-countries/langs/fr.json'
import es from 'i18n-iso-countries/langs/es.json'
import pt from 'i18n-iso-countries/langs/pt.json'
import it from 'i18n-iso-countries/langs/it.json'
import nl from 'i18n-iso-countries/langs/nl.json'
import noNames from 'i18n-iso-countries/langs/no.json'
import sv from 'i18n-iso-countries/langs/sv.json'
import da from 'i18n-iso-countries/langs/da.json'
import fi from 'i18n-iso-countries/langs/fi.json'
import pl from 'i18n-iso-countries/langs/pl.json'
import ro from 'i18n-iso-countries/langs/ro.json'
import cs from 'i18n-iso-countries/langs/cs.json'
import sk from 'i18n-iso-countries/langs/sk.json'
import sl from 'i18n-iso-countries/langs/sl.json'
import hr from 'i18n-iso-countries/langs/hr.json'
import hu from 'i18n-iso-countries/langs/hu.json'
import tr from 'i18n-iso-countries/langs/tr.json'
import et from 'i18n-iso-countries/langs/et.json'
import lv from 'i18n-iso-countries/langs/lv.json'
import lt from 'i18n-iso-countries/langs/lt.json'
import isNames from 'i18n-iso-countries/langs/is.json'
import id from 'i18n-iso-countries/langs/id.json'
import ms from 'i18n-iso-countries/langs/ms.json'
import vi from 'i18n-iso-countries/langs/vi.json'

// Country names in the languages whose names survive folding to a–z: English first (it wins a clash), then the
// languages people most often type their own country's name in (Deutschland, España, Brasil, Norge, România…).
const LOCALES: readonly LocaleData[] = [
  en,
  de,
  fr,
  es,
  pt,
  it,
  nl,
  noNames,
  sv,
  da,
  fi,
  pl,
  ro,
  cs,
  sk,
  sl,
  hr,
  hu,
  tr,
  et,
  lv,
  lt,
  isNames,
  id,
  ms,
  vi
]

/**
 * Short and ISO long names the library lacks but people and Meta's own code use ("Laos", "Syria", "Korea
 * Republic of" as ISO writes it without its comma). Folded like every other name, so "Viet Nam" is "vietnam".
 */
const ALIASES: Readonly<Record<string, string>> = {
  laos: 'LA',
  laopeoplesdemocraticrepublic: 'LA',
  syria: 'SY',
  vatican: 'VA',
  vaticancity: 'VA',
  holysee: 'VA',
  macedonia: 'MK',
  vietnam: 'VN',
  korearepublicof: 'KR',
  koreademocraticpeoplesrepublicof: 'KP',
  northkorea: 'KP',
  southkorea: 'KR',
  iranislamicrepublicof: 'IR',
  moldovarepublicof: 'MD',
  tanzaniaunitedrepublicof: 'TZ',
  congothedemocraticrepublicofthe: 'CD',
  democraticrepublicofthecongo: 'CD',
  boliviaplurinationalstateof: 'BO',
  venezuelabolivarianrepublicof: 'VE',
  micronesiafederatedstatesof: 'FM',
  palestinestateof: 'PS',
  taiwanprovinceofchina: 'TW',
  ivorycoast: 'CI',
  czechrepublic: 'CZ',
  swaziland: 'SZ',
  capeverde: 'CV',
  easttimor: 'TL',
  russia: 'RU',
  brunei: 'BN',
  uk: 'GB',
  greatbritain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  northernireland: 'GB',
  unitedstates: 'US',
  usa: 'US'
}

// Names this short are codes or common words inside longer text ("ind", "usa"): only matched whole.
const MIN_CONTAINED_NAME_LENGTH = 4

function buildCodesByName(): Map<string, string> {
  const codes = new Map<string, string>()
  const add = (name: string, code: string) => {
    const folded = foldedLatinLetters(name)
    if (folded.length > 0 && !codes.has(folded)) codes.set(folded, code.toLowerCase())
  }
  for (const [name, code] of Object.entries(ALIASES)) add(name, code)
  for (const locale of LOCALES) {
    registerLocale(locale)
    for (const [code, names] of Object.entries(getNames(locale.locale, { select: 'all' }))) {
      for (const name of names) add(name, code)
    }
  }
  return codes
}

/** Country names in many languages, folded to a–z, with their lowercase ISO 3166-1 alpha-2 code. */
export const COUNTRY_CODES_BY_NAME: ReadonlyMap<string, string> = buildCodesByName()

/** Names long enough to be looked for inside longer text, longest first so "nigeria" wins over "niger". */
export const CONTAINED_COUNTRY_NAMES: readonly string[] = [...COUNTRY_CODES_BY_NAME.keys()]
  .filter((name) => name.length >= MIN_CONTAINED_NAME_LENGTH)
  .sort((a, b) => b.length - a.length)
