/**
 * Opens every connection of the pool before the node reports ready, and runs the requests' hot
 * reads once on each. A node's first likes otherwise open the pool one connection at a time, each
 * a new PostgreSQL backend whose first statements on a table load that table's and its indexes'
 * catalog entries, while the node's own code paths still run cold: on two nodes at 200 likes/s
 * that start held the slowest 1 % of the likes (docs/BENCHMARKS.md, "The PostgreSQL like stall,
 * fifth pass"). The pool then keeps these connections (its `min`), so they stay warm between
 * bursts instead of closing after 30 s idle.
 */
import type pg from 'pg';

/**
 * What a like and a token check read, in one message (the simple query protocol): each statement
 * matches no row, so the warm-up reads no data and takes no lock that a write could wait for.
 */
const HOT_READS = [
  `SELECT id, user_id, last_used_at FROM tokens WHERE token_hash = ''`,
  `SELECT id, username FROM users WHERE id = ''`,
  `SELECT author_id, title FROM posts WHERE id = ''`,
  `SELECT count(*) FROM likes WHERE post_id = ''`,
  `SELECT 1 FROM notified_unlikes WHERE post_id = '' AND user_id = ''`,
  `SELECT latest_seq FROM event_seq`,
  `SELECT seq FROM events WHERE audience_user_id = '' ORDER BY seq DESC LIMIT 1`,
].join('; ');

/**
 * Opens `size` connections at once, runs the hot reads on each, and returns them to the pool.
 * Best effort: a database that allows this node fewer connections (`max_connections`, a role's or
 * the database's CONNECTION LIMIT) served it before warm pools existed, so a connection refused
 * here is reported (the resolved Error) rather than a reason not to start.
 */
export async function warmPool(pool: pg.Pool, size: number): Promise<Error | undefined> {
  const opened = await Promise.allSettled(Array.from({ length: size }, () => pool.connect()));
  const clients = opened.flatMap((outcome) =>
    outcome.status === 'fulfilled' ? [outcome.value] : [],
  );
  const warmed = await Promise.allSettled(clients.map((client) => client.query(HOT_READS)));
  // A connection whose reads failed is dropped rather than kept cold or broken.
  clients.forEach((client, index) => {
    const outcome = warmed[index];
    client.release(outcome?.status === 'rejected' ? toError(outcome.reason) : undefined);
  });
  const failure = [...opened, ...warmed].find((outcome) => outcome.status === 'rejected');
  if (failure === undefined) return undefined;
  const ready = warmed.filter((outcome) => outcome.status === 'fulfilled').length;
  return new Error(
    `warmed ${ready} of the pool's ${size} connections at start (the rest open when needed): ` +
      toError(failure.reason).message,
  );
}

const toError = (reason: unknown): Error =>
  reason instanceof Error ? reason : new Error(String(reason));
