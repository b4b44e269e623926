/** Headers as a fetch Response or undici exposes them. */
interface HeaderReader {
  get(name: string): string | null
}

const MINUTE_MS = 60_000

// x-business-use-case-usage maps business IDs to usage entries; the longest wait among them governs.
function businessUseCaseWaitMs(header: string | null): number | undefined {
  if (!header) return undefined
  try {
    const usage = JSON.parse(header) as Record<string, { estimated_time_to_regain_access?: number }[]>
    const minutes = Object.values(usage)
      .flat()
      .map((entry) => entry.estimated_time_to_regain_access ?? 0)
    const longest = Math.max(0, ...minutes)
    return longest > 0 ? longest * MINUTE_MS : undefined
  } catch {
    return undefined
  }
}

function retryAfterHeaderMs(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/**
 * How long Meta asks us to wait before calling again, from Retry-After or the
 * estimated_time_to_regain_access (minutes) of x-business-use-case-usage; undefined when it does not say.
 */
export function retryAfterMs(headers: HeaderReader): number | undefined {
  return (
    retryAfterHeaderMs(headers.get('retry-after')) ?? businessUseCaseWaitMs(headers.get('x-business-use-case-usage'))
  )
}
