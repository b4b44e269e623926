import { dropped, kept, normaliseText, Normalised } from './normalised'
import { lettersOnly } from './text'

// Words people and forms commonly use, in English and a few other languages (w = "weiblich" on German forms).
const FEMALE = wordSet(
  'f female woman women girl lady w mrs ms miss she her wife mother ' +
    'femme feminin féminin frau weiblich mujer femenino feminino donna femmina'
)
const MALE = wordSet(
  'm male man men boy gentleman mr he him his husband father ' +
    'homme masculin herr mann männlich hombre masculino uomo maschio'
)

export function normaliseGender(raw: unknown): Normalised {
  return normaliseText(raw, (text) => {
    const word = lettersOnly(text)
    if (FEMALE.has(word)) return kept('f')
    if (MALE.has(word)) return kept('m')
    return dropped('not a recognised gender')
  })
}

function wordSet(words: string): ReadonlySet<string> {
  return new Set(words.split(' '))
}
