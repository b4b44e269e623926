/** The text without its trailing slashes, in linear time (`/\/+$/` is quadratic on a long run of slashes). */
export function withoutTrailingSlashes(text: string): string {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 47) end--
  return text.slice(0, end)
}
