/**
 * Fan-out on read in SQL. A user sees:
 * - the events addressed to them alone (events_for_user: one index range), and
 * - the subscribers' events inside each of their subscription spans (events_for_subscribers: one
 *   index range per span; spans never overlap, so UNION ALL counts nothing twice),
 * never their own. Each part is ordered and limited before the union, so a page costs about
 * `limit` index entries per part whatever the inbox's size, and a count is an index-only range
 * count. Nothing is stored per recipient. The rules are the same as visibility's in the lowdb
 * driver; the conformance suite proves both agree.
 *
 * Parameters of every query here: $1 user id, $2 after (exclusive), $3 before (exclusive).
 */
import type { EventRecord, InboxEntry } from '../store.js';
import type { Queryable } from './database.js';
import { UNREAD, type ReadState } from './readState.js';

/** Above any seq: "no upper bound" as a bigint. */
export const NO_BOUND = '9223372036854775807';

export interface EventRow {
  seq: number;
  id: string;
  type: EventRecord['type'];
  created_at: Date;
  audience_user_id: string | null;
  actor_id: string;
  post_id: string;
  post_title: string;
  actor_name: string;
  url: string | null;
  text: string | null;
}

export const EVENT_COLUMNS =
  'e.seq, e.id, e.type, e.created_at, e.audience_user_id, e.actor_id, e.post_id, e.post_title, e.actor_name, e.url, e.text';

export function toEvent(row: EventRow): EventRecord {
  return {
    seq: row.seq,
    id: row.id,
    type: row.type,
    createdAt: row.created_at.toISOString(),
    audience:
      row.audience_user_id === null
        ? { kind: 'subscribers' }
        : { kind: 'user', userId: row.audience_user_id },
    actorId: row.actor_id,
    postId: row.post_id,
    postTitle: row.post_title,
    actorName: row.actor_name,
    ...(row.url === null ? {} : { url: row.url }),
    ...(row.text === null ? {} : { text: row.text }),
  };
}

/** The visible events in (after, before), each part ordered `direction` and cut at $4 rows. */
function visibleEvents(direction: 'ASC' | 'DESC'): string {
  return `
    (SELECT ${EVENT_COLUMNS} FROM events e
      WHERE e.audience_user_id = $1 AND e.actor_id <> $1 AND e.seq > $2 AND e.seq < $3
      ORDER BY e.seq ${direction} LIMIT $4)
    UNION ALL
    (SELECT p.* FROM subscription_spans s CROSS JOIN LATERAL (
       SELECT ${EVENT_COLUMNS} FROM events e
        WHERE e.audience_user_id IS NULL AND e.actor_id <> $1
          AND e.seq > greatest(s.from_seq, $2)
          AND e.seq <= coalesce(s.to_seq, ${NO_BOUND}) AND e.seq < $3
        ORDER BY e.seq ${direction} LIMIT $4) p
      WHERE s.user_id = $1)`;
}

function bounds(after: number | undefined, before: number | undefined): [number, string] {
  return [Math.max(0, after ?? 0), before === undefined ? NO_BOUND : String(Math.ceil(before))];
}

export interface InboxRow extends EventRow {
  read: boolean;
}

/**
 * Up to `limit` visible events in (after, before), oldest first or newest first, each marked read
 * or not: one statement, so the rows and the read state come from one snapshot.
 */
export async function visibleEventRows(
  db: Queryable,
  userId: string,
  query: { after?: number; before?: number; limit: number; newestFirst: boolean },
): Promise<InboxRow[]> {
  const direction = query.newestFirst ? 'DESC' : 'ASC';
  const [after, before] = bounds(query.after, query.before);
  const { rows } = await db.query<InboxRow>(
    `SELECT v.*, (v.seq <= coalesce(r.cursor_seq, 0) OR v.seq = ANY(coalesce(r.above, '{}')))
              AS read
       FROM (${visibleEvents(direction)}) v
       LEFT JOIN read_state r ON r.user_id = $1
      ORDER BY v.seq ${direction} LIMIT $4`,
    [userId, after, before, Math.max(0, query.limit)],
  );
  return rows;
}

/** Only the seqs, oldest first (for moving a read cursor). */
export async function visibleSeqsAfter(
  db: Queryable,
  userId: string,
  after: number,
  limit: number,
): Promise<number[]> {
  const rows = await visibleEventRows(db, userId, { after, limit, newestFirst: false });
  return rows.map((row) => row.seq);
}

export async function readStateOf(db: Queryable, userId: string): Promise<ReadState> {
  const { rows } = await db.query<{ cursor_seq: number; above: string[] }>(
    'SELECT cursor_seq, above FROM read_state WHERE user_id = $1',
    [userId],
  );
  const row = rows[0];
  return row ? { cursor: row.cursor_seq, above: row.above.map(Number) } : UNREAD;
}

/** One query: the visible events after the read cursor, minus those read out of order. */
export async function unreadCountOf(db: Queryable, userId: string): Promise<number> {
  const { rows } = await db.query<{ unread: number }>(
    `WITH r AS (
       SELECT coalesce(max(cursor_seq), 0) AS cursor_seq,
              coalesce(max(cardinality(above)), 0) AS read_above
         FROM read_state WHERE user_id = $1)
     SELECT (
       (SELECT count(*) FROM events e, r
         WHERE e.audience_user_id = $1 AND e.actor_id <> $1 AND e.seq > r.cursor_seq)
       + (SELECT count(*) FROM r, subscription_spans s JOIN events e
            ON e.audience_user_id IS NULL AND e.actor_id <> $1
           AND e.seq > s.from_seq AND e.seq <= coalesce(s.to_seq, ${NO_BOUND})
         WHERE s.user_id = $1 AND e.seq > r.cursor_seq)
       - (SELECT read_above FROM r)
     )::bigint AS unread`,
    [userId],
  );
  return rows[0]?.unread ?? 0;
}

/** The events among `ids` that this user can see, with their seqs. */
export async function visibleAmong(
  db: Queryable,
  userId: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const { rows } = await db.query<{ id: string; seq: number }>(
    `SELECT e.id, e.seq FROM events e
      WHERE e.id = ANY($2::text[]) AND e.actor_id <> $1
        AND (e.audience_user_id = $1
          OR (e.audience_user_id IS NULL AND EXISTS (
                SELECT 1 FROM subscription_spans s
                 WHERE s.user_id = $1 AND e.seq > s.from_seq
                   AND e.seq <= coalesce(s.to_seq, ${NO_BOUND}))))`,
    [userId, ids],
  );
  return new Map(rows.map((row) => [row.id, row.seq]));
}

export function toInboxEntry(row: InboxRow): InboxEntry {
  return { event: toEvent(row), read: row.read };
}
