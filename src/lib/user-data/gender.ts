import { dropped, kept, normaliseText, Normalised } from './normalised'
import { withoutSpacePunctuationOrSymbols } from './text'

// The union of the English words capi-param-builder knows (titles, family words, pronouns) and the words forms use
// in a few other languages (w = "weiblich" on German forms). Punctuation is ignored, so "Ma'am" and "F." count;
// digits are not ("male123" is no gender).
const FEMALE = wordSet(
  'f female woman women girl lady w mrs ms miss she her hers herself wife mother madam maam daughter mom mama ' +
    'mommy aunt niece sister girlfriend bride widow queen princess duchess countess empress goddess maiden lass gal ' +
    'chick dame belle ' +
    'femme feminin féminin frau weiblich mujer femenino feminino donna femmina'
)
const MALE = wordSet(
  'm male man men boy gentleman guy sir mister mr he him his himself husband father son dad daddy papa uncle ' +
    'nephew brother boyfriend groom widower king prince duke count emperor god lord lad fellow chap bloke dude ' +
    'homme masculin herr mann männlich hombre masculino uomo maschio'
)

export function normaliseGender(raw: unknown): Normalised {
  return normaliseText(raw, (text) => {
    const word = withoutSpacePunctuationOrSymbols(text)
    if (FEMALE.has(word)) return kept('f')
    if (MALE.has(word)) return kept('m')
    return dropped('not a recognised gender')
  })
}

function wordSet(words: string): ReadonlySet<string> {
  return new Set(words.split(' '))
}
