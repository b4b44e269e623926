import { dropped, kept, normaliseText, Normalised } from './normalised'

// local@domain.tld: dot-separated atoms of the RFC 5322 printable characters, then hostname labels that neither
// start nor end with "-". Close to capi-param-builder's EMAIL_RE, so we drop what Meta's own SDK would drop.
const ATOM = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?'
const EMAIL = new RegExp(`^${ATOM}(?:\\.${ATOM})*@(?:${LABEL}\\.)+${LABEL}$`)
// RFC 5321's limit; it also bounds the regex's work on hostile input.
const MAX_EMAIL_LENGTH = 254

export function normaliseEmail(raw: unknown): Normalised {
  return normaliseText(raw, (text) => {
    const email = text.toLowerCase()
    return email.length <= MAX_EMAIL_LENGTH && EMAIL.test(email) ? kept(email) : dropped('not an email address')
  })
}
