/** Bounds on the text that error messages quote, so one huge answer from Meta cannot flood a log line. */

const EXCERPT_LENGTH = 200
const MAX_MESSAGE_LENGTH = 1000

export function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text
}

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

export function excerpt(text: string): string {
  const collapsed = collapseWhitespace(text)
  return collapsed.length > EXCERPT_LENGTH ? `${collapsed.slice(0, EXCERPT_LENGTH)}…` : collapsed
}
