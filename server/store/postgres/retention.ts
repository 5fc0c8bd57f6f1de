/**
 * Retention, as the lowdb driver applies it (docs/STORAGE.md, "Retention"): events older than
 * `maxEventAgeDays`, and the oldest beyond `maxEvents`, are deleted, so the table stays bounded.
 * Seqs are never reused (event_seq keeps counting) and read cursors stay valid; `above` marks and
 * closed subscription spans that only covered deleted events go with them, so the unread count
 * (visible events above the cursor minus `above`) stays exact. One transaction.
 */
import type { Queryable } from './database.js';

export interface RetentionPolicy {
  maxEventAgeDays: number;
  maxEvents: number;
}

/** Returns how many events were deleted. */
export async function applyRetention(
  client: Queryable,
  policy: RetentionPolicy,
  now: Date,
): Promise<number> {
  const cutoff = new Date(now.getTime() - policy.maxEventAgeDays * 24 * 60 * 60 * 1000);
  // Events are dropped oldest first, as a prefix by seq: up to the newest one that is too old or
  // beyond the count.
  const { rows } = await client.query<{ up_to: number | null }>(
    `SELECT greatest(
       (SELECT max(seq) FROM events WHERE created_at < $1),
       (SELECT seq FROM events ORDER BY seq DESC OFFSET $2 LIMIT 1)) AS up_to`,
    [cutoff.toISOString(), policy.maxEvents],
  );
  const upTo = rows[0]?.up_to;
  if (upTo === null || upTo === undefined) return 0;
  const { rowCount } = await client.query('DELETE FROM events WHERE seq <= $1', [upTo]);
  await client.query(
    `UPDATE read_state SET above = ARRAY(SELECT s FROM unnest(above) AS s WHERE s > $1 ORDER BY s)
      WHERE above[1] <= $1`,
    [upTo],
  );
  await client.query('DELETE FROM subscription_spans WHERE to_seq IS NOT NULL AND to_seq <= $1', [
    upTo,
  ]);
  return rowCount ?? 0;
}
