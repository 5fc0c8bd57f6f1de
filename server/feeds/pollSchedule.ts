/**
 * When a feed is polled next. Pure, with the clock as a parameter. The base is the configured
 * interval; the feed's own hints can only make us wait LONGER (Cache-Control max-age, RSS ttl,
 * Retry-After), never poll faster. Failures back off exponentially (interval × 2^failures, at most a
 * day), and Retry-After wins when it asks for more. Feeds get a fixed offset inside the interval
 * from their id, so a hundred feeds added at once are not all polled in the same second.
 */
import { createHash } from 'node:crypto';

export const BACKOFF_MAX_MS = 24 * 60 * 60 * 1000;

export interface PollOutcome {
  ok: boolean;
  /** Consecutive failures including this poll (0 after a success). */
  failures: number;
  maxAgeSeconds?: number | undefined;
  retryAfterSeconds?: number | undefined;
  ttlMinutes?: number | undefined;
}

export function nextPollAt(now: number, intervalMs: number, outcome: PollOutcome): number {
  const hinted = Math.max(
    (outcome.maxAgeSeconds ?? 0) * 1000,
    (outcome.ttlMinutes ?? 0) * 60_000,
    (outcome.retryAfterSeconds ?? 0) * 1000,
  );
  const base = outcome.ok
    ? intervalMs
    : Math.min(intervalMs * 2 ** Math.min(outcome.failures, 20), BACKOFF_MAX_MS);
  // A hint longer than the backoff cap is still honoured, but never beyond a day.
  return now + Math.max(base, Math.min(hinted, BACKOFF_MAX_MS));
}

/** A stable offset in [0, intervalMs) for a feed: where in the interval its first poll falls. */
export function spreadOffset(feedId: string, intervalMs: number): number {
  const digest = createHash('sha256').update(feedId).digest();
  return digest.readUInt32BE(0) % Math.max(1, intervalMs);
}
