/**
 * Recording events, and issuing their seqs in commit order.
 *
 * Seqs must become visible in order and without gaps, so that a catch-up by `since` never skips
 * one: a seq is taken from event_seq's one row, whose row lock is held until the transaction
 * ends, so the next seq is issued only after this one committed (or rolled back, and then it is
 * reused). That lock is the one thing every notifying write on every node waits for, so it is
 * held as briefly as possible: an event is inserted early with a placeholder seq (negative, from
 * the event_placeholders sequence, never seen outside its transaction), and the seqs are taken,
 * written over the placeholders and announced in the statement sent together with COMMIT
 * (database.ts, commitWith). The lock then spans that statement and the commit's flush, not the
 * round trips of the rest of the transaction through a busy node (docs/STORAGE.md, "Seq order").
 */
import type { EventRecord } from '../store.js';
import { newId } from '../lowdb/ids.js';
import type { Queryable, Transaction } from './database.js';
import { SEQ_CHANNEL } from './latestSeq.js';

export type NewEvent = Omit<EventRecord, 'seq' | 'id'>;

/** The events table's columns, the placeholder seq first, then those `eventRow` fills. */
export const EVENT_COLUMNS =
  'seq, id, type, created_at, audience_user_id, actor_id, post_id, post_title, actor_name, url, text';
/** A seq no other transaction sees, until `commit()` issues the real one. */
export const PLACEHOLDER_SEQ = "-nextval('event_placeholders')";
/** The parameters `eventRow` fills, in EVENT_COLUMNS' order after the seq. */
const EVENT_PARAMS = '$1, $2, $3, $4, $5, $6, $7, $8, $9, $10';

/** A record's columns after the seq, as parameters $1 to $10. */
export function eventRow(record: EventRecord): unknown[] {
  return [
    record.id,
    record.type,
    record.createdAt,
    record.audience.kind === 'user' ? record.audience.userId : null,
    record.actorId,
    record.postId,
    record.postTitle,
    record.actorName,
    record.url ?? null,
    record.text ?? null,
  ];
}

/** The events one transaction records; `commit()` ends the transaction. */
export interface EventLog {
  /** Inserts the event; its seq is set when `commit()` resolves. */
  record(event: NewEvent): Promise<EventRecord>;
  /**
   * Takes on an event that a statement of the caller's own inserted (its columns as
   * `eventRow` gives them, its seq `PLACEHOLDER_SEQ`): a write that folds the insert into a
   * statement it sends anyway saves a round trip through the node (postQueries.ts, addLike).
   */
  adopt(placeholder: number, record: EventRecord): EventRecord;
  /**
   * Issues the recorded events' seqs (in the order recorded) and commits; resolves with the newest
   * seq issued (0 when none was). Without events it leaves the commit to the caller.
   */
  commit(): Promise<number>;
}

export function eventLog(tx: Transaction): EventLog {
  /** Recorded events by placeholder, in the order recorded. */
  const pending: { placeholder: number; record: EventRecord }[] = [];
  const adopt = (placeholder: number, record: EventRecord): EventRecord => {
    if (!Number.isSafeInteger(placeholder) || placeholder >= 0) {
      throw new Error('events: the insert returned no placeholder seq');
    }
    pending.push({ placeholder, record });
    return record;
  };
  return {
    async record(event) {
      const record: EventRecord = { seq: 0, id: newId(), ...event };
      const { rows } = await tx.query<{ seq: number }>(
        `INSERT INTO events (${EVENT_COLUMNS}) VALUES (${PLACEHOLDER_SEQ}, ${EVENT_PARAMS})
         RETURNING seq`,
        eventRow(record),
      );
      return adopt(rows[0]?.seq ?? Number.NaN, record);
    },

    adopt,

    async commit() {
      if (pending.length === 0) return 0;
      const count = pending.length;
      // The statement carries no parameters (it goes with COMMIT as one simple query): its only
      // values are the placeholders, integers this transaction got back from PostgreSQL.
      const placeholders = pending.map((each) => each.placeholder).join(',');
      const [issued] = await tx.commitWith(
        `WITH issued AS (
           UPDATE event_seq SET latest_seq = latest_seq + ${count} RETURNING latest_seq),
         assigned AS (
           UPDATE events e SET seq = issued.latest_seq - ${count} + p.position
             FROM issued, unnest('{${placeholders}}'::bigint[]) WITH ORDINALITY AS p(seq, position)
            WHERE e.seq = p.seq RETURNING e.seq)
         SELECT latest_seq, pg_notify('${SEQ_CHANNEL}', latest_seq::text) FROM issued`,
      );
      const latest = (issued?.rows[0] as { latest_seq?: number } | undefined)?.latest_seq;
      if (latest === undefined) throw new Error('event_seq has no row: the schema is incomplete');
      // The records leave the transaction only now, so they get their seqs before anyone sees them.
      pending.forEach(({ record }, index) => {
        record.seq = latest - count + index + 1;
      });
      return latest;
    },
  };
}

/**
 * The newest seq issued, read so that it waits for a commit issuing seqs: spans that start or end
 * at it then agree with the seqs that commit holds.
 */
export async function lockedLatestSeq(client: Queryable): Promise<number> {
  const { rows } = await client.query<{ latest_seq: number }>(
    'SELECT latest_seq FROM event_seq FOR SHARE',
  );
  return rows[0]?.latest_seq ?? 0;
}
