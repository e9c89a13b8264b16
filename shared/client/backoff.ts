/** Reconnect delays: exponential growth with "full jitter" (a uniform draw between 0 and the ceiling). */
export interface BackoffOptions {
  /** The ceiling of the first retry. */
  baseMs: number;
  /** The ceiling never grows past this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000 };

/** The ceiling for a given attempt (0-based): base * 2^attempt, capped. */
export function backoffCeiling(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(attempt, 30); // 2^30 * base overflows any cap long before it matters
  return Math.min(options.capMs, options.baseMs * 2 ** exp);
}

/** A delay in [0, ceiling(attempt)], drawn with `random` (in [0, 1)). */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  return Math.floor(random() * backoffCeiling(attempt, options));
}
