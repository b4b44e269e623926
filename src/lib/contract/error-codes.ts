/**
 * Meta's Graph API errors as a table: which `error.code` / `error_subcode` / `is_transient` means what, and the
 * status that says whether to retry (429 and 5xx: retry later; 4xx: do not). Read it beside the README's
 * "Batching, results and errors" table: one row there is one or more rows here, in the same words.
 *
 * Meta answers rate limits, bad data and bad tokens alike with HTTP 400, so the HTTP status never decides.
 * The first row that matches wins: a rate-limit code flagged `is_transient` is still a rate limit.
 */

export type ErrorKind =
  'rate_limit' | 'transient' | 'authentication' | 'permission' | 'configuration' | 'data' | 'unknown'

/** One code, or an inclusive range [first, last]. */
export type CodeSpan = number | readonly [number, number]

/** What a row needs to word its message. `said` is "Meta said: <Meta's text> (code …, subcode …, fbtrace_id …)". */
export interface MessageParts {
  said: string
  /** Meta's own text and identifiers, without the "Meta said:" lead. */
  metaWords: string
  pixelId: string
}

export interface ErrorCodeRow {
  /** The row of the README's table this belongs to. */
  readme: string
  /** Matches when error.code is one of these (absent: any code). */
  codes?: readonly CodeSpan[]
  /** Matches only when error_subcode is one of these as well. */
  subcodes?: readonly CodeSpan[]
  /** Matches only when Meta flags the error `is_transient: true`. */
  transient?: true
  kind: ErrorKind
  status: number
  /** Always status === 429 || status >= 500; stated so the table reads on its own. */
  retryable: boolean
  message: (parts: MessageParts) => string
}

// Graph's "An access token is required to request this resource" (104): a missing token never fixes itself.
const INVALID_TOKEN_CODES: readonly CodeSpan[] = [190, 102, 104]
// Code 3 ("application does not have the capability") is a permission problem: splitting the request could never
// make it pass, so it must not be treated as bad data.
const PERMISSION_CODES: readonly CodeSpan[] = [3, 10, [200, 299]]
const INVALID_PARAMETER = 100
const OBJECT_MISSING_OR_NO_PERMISSION = 33

const temporary = ({ said }: MessageParts) => `Meta reported a temporary error; retry later. ${said}`

export const META_ERROR_CODES: readonly ErrorCodeRow[] = [
  {
    readme: 'Rate limits',
    // App (4), user (17), Pages (32), application limit (341), custom (613), Business Use Case limits.
    codes: [4, 17, 32, 341, 613, [80000, 80014]],
    kind: 'rate_limit',
    status: 429,
    retryable: true,
    message: ({ said }) => `Meta rate limit reached; retry later with backoff. ${said}`
  },
  {
    readme: 'Transient',
    // Meta's own instruction: when is_transient is true, wait and retry, whatever the code.
    transient: true,
    kind: 'transient',
    status: 503,
    retryable: true,
    message: temporary
  },
  {
    readme: 'Transient',
    codes: [2], // service downtime
    kind: 'transient',
    status: 503,
    retryable: true,
    message: temporary
  },
  {
    readme: 'Transient',
    codes: [1, [Number.MIN_SAFE_INTEGER, -1]], // unknown, possibly temporary; negative codes
    kind: 'transient',
    status: 500,
    retryable: true,
    message: ({ said }) => `Meta reported an internal, possibly temporary error; retry later. ${said}`
  },
  {
    readme: 'Transient',
    codes: [368], // temporarily blocked for a policy violation
    kind: 'transient',
    status: 503,
    retryable: true,
    message: ({ said }) =>
      `Meta temporarily blocked this sender for a policy violation; retry after a long delay. ${said}`
  },
  {
    readme: 'Invalid token',
    codes: INVALID_TOKEN_CODES,
    kind: 'authentication',
    status: 401,
    retryable: false,
    message: ({ said }) =>
      'The access token was rejected by Meta; generate a new token in Events Manager ' +
      `(Settings → Conversions API → Generate access token) and update the settings. ${said}`
  },
  {
    readme: 'Permission',
    codes: PERMISSION_CODES,
    kind: 'permission',
    status: 403,
    retryable: false,
    message: ({ said, pixelId }) =>
      `This access token is not allowed to send events to pixel ${pixelId}; use a token generated for this pixel in Events Manager. ${said}`
  },
  {
    readme: 'Wrong pixel',
    codes: [INVALID_PARAMETER],
    subcodes: [OBJECT_MISSING_OR_NO_PERMISSION],
    kind: 'configuration',
    status: 400,
    retryable: false,
    message: ({ said, pixelId }) =>
      `Pixel ${pixelId} does not exist or this token cannot send to it; check the pixel ID and the token's access to it. ${said}`
  },
  {
    readme: 'Bad data',
    codes: [INVALID_PARAMETER],
    kind: 'data',
    status: 400,
    retryable: false,
    // The operator needs Meta's own words here: they say which field of which event is wrong.
    message: ({ metaWords }) => metaWords
  }
]

/** The answer for any error no row matches. */
export const UNKNOWN_META_ERROR: ErrorCodeRow = {
  readme: 'Unknown code',
  kind: 'unknown',
  status: 500,
  retryable: true,
  message: ({ said }) => `Meta returned an error this destination does not recognise; treating it as retryable. ${said}`
}

function inSpans(value: number | undefined, spans: readonly CodeSpan[] | undefined): boolean {
  if (spans === undefined) return true
  if (value === undefined) return false
  return spans.some((span) => (typeof span === 'number' ? value === span : value >= span[0] && value <= span[1]))
}

/** The first row of the table that matches Meta's error, or UNKNOWN_META_ERROR. */
export function errorCodeRow(error: { code?: number; subcode?: number; isTransient: boolean }): ErrorCodeRow {
  const row = META_ERROR_CODES.find(
    (candidate) =>
      inSpans(error.code, candidate.codes) &&
      inSpans(error.subcode, candidate.subcodes) &&
      (candidate.transient !== true || error.isTransient)
  )
  return row ?? UNKNOWN_META_ERROR
}
