/**
 * The PostgreSQL driver's InboxStore: a user's inbox and unread count, derived on read in SQL
 * (visibleEvents.ts), and their read state (readState.ts), changed one transaction at a time per
 * user.
 */
import type { InboxStore } from '../store.js';
import type { Queryable } from './database.js';
import type { PostgresEngine } from './engine.js';
import { lockUser } from './locks.js';
import { isRead, withReadSeqs, type ReadState } from './readState.js';
import {
  readStateOf,
  toInboxEntry,
  unreadCountOf,
  visibleAmong,
  visibleEventRows,
  visibleSeqsAfter,
} from './visibleEvents.js';

async function saveReadState(client: Queryable, userId: string, read: ReadState): Promise<void> {
  await client.query(
    `INSERT INTO read_state (user_id, cursor_seq, above) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET cursor_seq = excluded.cursor_seq, above = excluded.above`,
    [userId, read.cursor, read.above],
  );
}

export function inboxQueries(engine: PostgresEngine): InboxStore {
  const { db, write, latest } = engine;

  return {
    async listInbox(userId, query) {
      const rows = await visibleEventRows(db, userId, {
        ...(query.afterSeq === undefined ? {} : { after: query.afterSeq }),
        ...(query.beforeSeq === undefined ? {} : { before: query.beforeSeq }),
        limit: query.limit,
        newestFirst: query.afterSeq === undefined,
      });
      for (const row of rows) latest.saw(row.seq);
      return rows.map(toInboxEntry);
    },

    unreadCount: (userId) => unreadCountOf(db, userId),

    async markRead(userId, eventIds) {
      const unique = [...new Set(eventIds)];
      if (unique.length === 0) return [];
      return write(async (client) => {
        await lockUser(client, userId);
        const read = await readStateOf(client, userId);
        const visible = await visibleAmong(client, userId, unique);
        const marked = unique.filter((id) => {
          const seq = visible.get(id);
          return seq !== undefined && !isRead(read, seq);
        });
        if (marked.length === 0) return [];
        const seqs = marked.map((id) => visible.get(id) as number);
        const above = new Set([...read.above, ...seqs]);
        const following = await visibleSeqsAfter(client, userId, read.cursor, above.size + 1);
        await saveReadState(client, userId, withReadSeqs(read, seqs, following));
        return marked;
      });
    },

    markAllRead: (userId) =>
      write(async (client) => {
        await lockUser(client, userId);
        const read = await readStateOf(client, userId);
        const [newestRow] = await visibleEventRows(client, userId, {
          limit: 1,
          newestFirst: true,
        });
        const newest = newestRow?.seq ?? 0;
        if (newest <= read.cursor) return read.cursor;
        await saveReadState(client, userId, { cursor: newest, above: [] });
        return newest;
      }),

    latestSeq: () => latest.value(),
  };
}
