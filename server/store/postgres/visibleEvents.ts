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
 * Parameters of every query here: $1 user id, $2 after (exclusive), $3 before (exclusive); the
 * batched forms (…OfMany) take the same values per user, one array each, and answer many users in
 * one statement (batchedLookup.ts: a reconnect storm's catch-ups).
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

/** Where a statement finds the user and the bounds: its parameters, or one user's row of a batch. */
interface Inputs {
  user: string;
  after: string;
  before: string;
  limit: string;
}
const PARAMETERS: Inputs = { user: '$1', after: '$2', before: '$3', limit: '$4' };
/** The batched forms' `q`, one row per user (unnest of their arrays). */
const BATCH_ROW: Inputs = {
  user: 'q.user_id',
  after: 'q.after',
  before: 'q.before',
  limit: 'q.lim',
};

/** The visible events in (after, before), each part ordered `direction` and cut at `limit` rows. */
function visibleEvents(direction: 'ASC' | 'DESC', at: Inputs = PARAMETERS): string {
  return `
    (SELECT ${EVENT_COLUMNS} FROM events e
      WHERE e.audience_user_id = ${at.user} AND e.actor_id <> ${at.user}
        AND e.seq > ${at.after} AND e.seq < ${at.before}
      ORDER BY e.seq ${direction} LIMIT ${at.limit})
    UNION ALL
    (SELECT p.* FROM subscription_spans s CROSS JOIN LATERAL (
       SELECT ${EVENT_COLUMNS} FROM events e
        WHERE e.audience_user_id IS NULL AND e.actor_id <> ${at.user}
          AND e.seq > greatest(s.from_seq, ${at.after})
          AND e.seq <= coalesce(s.to_seq, ${NO_BOUND}) AND e.seq < ${at.before}
        ORDER BY e.seq ${direction} LIMIT ${at.limit}) p
      WHERE s.user_id = ${at.user})`;
}

/** Whether a visible row `v` is read by the read state `r` (LEFT JOINed: none is unread). */
const READ_FLAG = `(v.seq <= coalesce(r.cursor_seq, 0) OR v.seq = ANY(coalesce(r.above, '{}')))`;

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
    `SELECT v.*, ${READ_FLAG} AS read
       FROM (${visibleEvents(direction)}) v
       LEFT JOIN read_state r ON r.user_id = $1
      ORDER BY v.seq ${direction} LIMIT $4`,
    [userId, after, before, Math.max(0, query.limit)],
  );
  return rows;
}

export interface InboxPageQuery {
  userId: string;
  after?: number;
  before?: number;
  limit: number;
}

/** A row of the batched form, with the `key` of the query it answers. */
export interface KeyedInboxRow extends InboxRow {
  batch_key: string;
}

/**
 * visibleEventRows for many queries in one statement, all in one direction: each query's rows,
 * tagged with its key, in its own order.
 */
export async function visibleEventRowsOfMany(
  db: Queryable,
  queries: readonly (InboxPageQuery & { key: string })[],
  newestFirst: boolean,
): Promise<KeyedInboxRow[]> {
  const direction = newestFirst ? 'DESC' : 'ASC';
  const bounded = queries.map((query) => bounds(query.after, query.before));
  const { rows } = await db.query<KeyedInboxRow>(
    `SELECT q.key AS batch_key, v.*, ${READ_FLAG} AS read
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
              WITH ORDINALITY AS q(key, user_id, after, before, lim, position)
       CROSS JOIN LATERAL (
         SELECT w.* FROM (${visibleEvents(direction, BATCH_ROW)}) w
          ORDER BY w.seq ${direction} LIMIT q.lim) v
       LEFT JOIN read_state r ON r.user_id = q.user_id
      ORDER BY q.position, v.seq ${direction}`,
    [
      queries.map((query) => query.key),
      queries.map((query) => query.userId),
      bounded.map(([after]) => after),
      bounded.map(([, before]) => before),
      queries.map((query) => Math.max(0, query.limit)),
    ],
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

/** One user's unread count, up to a seq when given (InboxStore.unreadCount). */
export interface UnreadCountQuery {
  userId: string;
  upToSeq?: number;
}

/**
 * Each query's count of visible events after the user's read cursor (and at or below its
 * `upToSeq`), minus those read out of order: one statement for all of them (batchedLookup.ts),
 * one row per query, tagged with its `key`.
 */
export async function unreadCountsOf(
  db: Queryable,
  queries: readonly (UnreadCountQuery & { key: string })[],
): Promise<{ batch_key: string; unread: number }[]> {
  const { rows } = await db.query<{ batch_key: string; unread: number }>(
    `SELECT q.key AS batch_key, (
       (SELECT count(*) FROM events e
         WHERE e.audience_user_id = q.user_id AND e.actor_id <> q.user_id
           AND e.seq > r.cursor_seq AND e.seq <= q.up_to)
       + (SELECT count(*) FROM subscription_spans s JOIN events e
            ON e.audience_user_id IS NULL AND e.actor_id <> q.user_id
           AND e.seq > s.from_seq AND e.seq <= coalesce(s.to_seq, ${NO_BOUND})
         WHERE s.user_id = q.user_id AND e.seq > r.cursor_seq AND e.seq <= q.up_to)
       - (SELECT count(*) FROM unnest(r.above) a WHERE a <= q.up_to)
     )::bigint AS unread
       FROM unnest($1::text[], $2::text[], $3::bigint[]) AS q(key, user_id, up_to)
       CROSS JOIN LATERAL (
         SELECT coalesce(max(cursor_seq), 0) AS cursor_seq,
                coalesce(max(above), '{}') AS above
           FROM read_state WHERE user_id = q.user_id) r`,
    [
      queries.map((query) => query.key),
      queries.map((query) => query.userId),
      queries.map((query) =>
        query.upToSeq === undefined ? NO_BOUND : String(Math.floor(query.upToSeq)),
      ),
    ],
  );
  return rows;
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
