/**
 * How long to wait before the next reconnect attempt. Exponential, so a server that is down is
 * not hammered; jittered, so 10,000 clients that lost the same server do not all come back in the
 * same millisecond; capped, so a laptop that was offline for an hour retries within a minute.
 */
export interface BackoffPolicy {
  /** Delay ceiling for the first retry, in ms. */
  baseMs: number;
  /** No delay ever exceeds this, in ms. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

/**
 * `attempt` counts failures since the last success, from 0. `random` returns a number in [0, 1).
 * "Equal jitter": half the exponential delay is fixed and half is random, so a retry never comes
 * back instantly (which full jitter allows) yet clients still spread out.
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const safeAttempt = Math.max(0, Math.min(Math.floor(attempt), 30));
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** safeAttempt);
  const half = ceiling / 2;
  const jitter = Math.min(Math.max(random(), 0), 1);
  return Math.round(half + jitter * half);
}
