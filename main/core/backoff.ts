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
  /**
   * When set, the first retry comes at random anywhere between `baseMs / 2` and this, in ms,
   * instead of within `baseMs`. After a server restart every client's first retry is due at
   * once; spread over 5 s instead of half a second, 10,000 of them arrive at a rate the server
   * can catch up with (issue 14). The price: a lone client after a blip waits 2.75 s on average
   * instead of 0.75 s (the shell's wake-up on "network back" still reconnects at once).
   */
  firstSpreadMs?: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

/** The live socket's policy (main/core/connection.ts): the first retry spread over 5 s. */
export const RECONNECT_BACKOFF: BackoffPolicy = { ...DEFAULT_BACKOFF, firstSpreadMs: 5_000 };

/**
 * `attempt` counts failures since the last success, from 0. `random` returns a number in [0, 1).
 * "Equal jitter": half the exponential delay is fixed and half is random, so a retry never comes
 * back instantly (which full jitter allows) yet clients still spread out. The first attempt under
 * a `firstSpreadMs` is spread evenly over its wider window instead.
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const jitter = Math.min(Math.max(random(), 0), 1);
  const safeAttempt = Math.max(0, Math.min(Math.floor(attempt), 30));
  const floor = policy.baseMs / 2;
  if (safeAttempt === 0 && policy.firstSpreadMs !== undefined) {
    const spread = Math.min(policy.capMs, Math.max(policy.firstSpreadMs, policy.baseMs));
    return Math.round(floor + jitter * (spread - floor));
  }
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** safeAttempt);
  const half = ceiling / 2;
  return Math.round(half + jitter * half);
}
