// Same matches as /[^\s@]+@[^\s@]+\.[^\s@]+/, but each attempt starts only at a character before an '@', so the scan
// is linear: the unanchored `+` form retried every start and was quadratic in the string's length.
const EMAIL_LIKE = /[^\s@]@[^\s@]+\.[^\s@]/

/** Whether text holds something shaped like an email address anywhere in it (linear in its length). */
export function containsEmail(text: string): boolean {
  return EMAIL_LIKE.test(text)
}
