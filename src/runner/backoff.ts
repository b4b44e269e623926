export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 }

/** The doubling wait before attempt `attempt + 1`: the base, twice that, … up to the cap. */
export function doublingDelayMs(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
}

/**
 * Exponential backoff with full jitter, so many senders throttled together do not come back together;
 * never sooner than Meta asked (its rate-limit headers), never longer than the policy's cap.
 */
export function backoffDelayMs(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs = 0,
  random: () => number = Math.random
): number {
  const ceiling = doublingDelayMs(attempt, policy)
  return Math.min(policy.maxDelayMs, Math.max(retryAfterMs, Math.floor(random() * ceiling)))
}
