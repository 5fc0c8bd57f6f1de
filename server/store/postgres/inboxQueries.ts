/**
 * The PostgreSQL driver's InboxStore: a user's inbox and unread count, derived on read in SQL
 * (visibleEvents.ts), and their read state (readState.ts), changed one transaction at a time per
 * user.
 */
import type { InboxStore } from '../store.js';
import { createBatchedLookup } from './batchedLookup.js';
import type { Queryable } from './database.js';
import type { PostgresEngine } from './engine.js';
import { lockUser } from './locks.js';
import { isRead, withReadSeqs, type ReadState } from './readState.js';
import {
  readStateOf,
  toInboxEntry,
  unreadCountsOf,
  visibleAmong,
  visibleEventRows,
  visibleEventRowsOfMany,
  visibleSeqsAfter,
  type InboxPageQuery,
  type UnreadCountQuery,
} from './visibleEvents.js';

async function saveReadState(client: Queryable, userId: string, read: ReadState): Promise<void> {
  await client.query(
    `INSERT INTO read_state (user_id, cursor_seq, above) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET cursor_seq = excluded.cursor_seq, above = excluded.above`,
    [userId, read.cursor, read.above],
  );
}

/** A page's query as a batch key: the same page asked twice (two sockets of a user) is read once. */
const pageKey = (query: InboxPageQuery): string =>
  JSON.stringify([query.userId, query.after ?? null, query.before ?? null, query.limit]);

function pageOfKey(key: string): InboxPageQuery & { key: string } {
  const [userId, after, before, limit] = JSON.parse(key) as [
    string,
    number | null,
    number | null,
    number,
  ];
  return {
    key,
    userId,
    limit,
    ...(after === null ? {} : { after }),
    ...(before === null ? {} : { before }),
  };
}

/** A count's query as a batch key: one user's count up to one seq is read once per batch. */
const countKey = ({ userId, upToSeq }: UnreadCountQuery): string =>
  JSON.stringify([userId, upToSeq ?? null]);

function countOfKey(key: string): UnreadCountQuery & { key: string } {
  const [userId, upToSeq] = JSON.parse(key) as [string, number | null];
  return { key, userId, ...(upToSeq === null ? {} : { upToSeq }) };
}

export function inboxQueries(engine: PostgresEngine): InboxStore {
  const { db, write, latest } = engine;
  // Every socket's catch-up reads a page and a count (server/domain/inbox.ts): in a reconnect
  // storm, one statement for many of them (batchedLookup.ts), one per direction.
  const pages = (newestFirst: boolean) =>
    createBatchedLookup({
      query: (keys: string[]) => visibleEventRowsOfMany(db, keys.map(pageOfKey), newestFirst),
      keyOf: (row) => row.batch_key,
      toValue: (rows) => rows,
    });
  const newestFirstPage = pages(true);
  const oldestFirstPage = pages(false);
  const unreadCounts = createBatchedLookup({
    query: (keys: string[]) => unreadCountsOf(db, keys.map(countOfKey)),
    keyOf: (row) => row.batch_key,
    toValue: ([row]) => row?.unread ?? 0,
  });

  return {
    async listInbox(userId, query) {
      const newestFirst = query.afterSeq === undefined;
      const rows = await (newestFirst ? newestFirstPage : oldestFirstPage)(
        pageKey({
          userId,
          ...(query.afterSeq === undefined ? {} : { after: query.afterSeq }),
          ...(query.beforeSeq === undefined ? {} : { before: query.beforeSeq }),
          limit: query.limit,
        }),
      );
      for (const row of rows) latest.saw(row.seq);
      return rows.map(toInboxEntry);
    },

    unreadCount: (userId, upToSeq) => unreadCounts(countKey({ userId, upToSeq })),

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
