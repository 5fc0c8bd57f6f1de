/**
 * The PostgreSQL driver's FeedStore: followed feeds, one claim at a time across nodes, and the
 * keys of the entries seen (the newest SEEN_KEYS_MAX per feed), so every entry becomes a post
 * exactly once.
 */
import { ConflictError, SEEN_KEYS_MAX, type FeedStore, type PostRecord } from '../store.js';
import { importedPost, importedPostEvent } from '../newRecords.js';
import type { EventRecord, FeedRecord } from '../store.js';
import { newId } from '../lowdb/ids.js';
import type { Queryable } from './database.js';
import type { PostgresEngine } from './engine.js';
import { FEED_COLUMNS, toFeed } from './feedRows.js';
import { insertPost } from './postRows.js';
import { affectsOneRow, allRows, firstRow } from './rows.js';

/** Keeps only the feed's newest SEEN_KEYS_MAX seen keys (`position` orders them), as lowdb does. */
async function forgetOldestSeenKeys(client: Queryable, feedId: string): Promise<void> {
  await client.query(
    `DELETE FROM feed_entries_seen WHERE feed_id = $1 AND position <= (
       SELECT position FROM feed_entries_seen WHERE feed_id = $1
        ORDER BY position DESC OFFSET $2 LIMIT 1)`,
    [feedId, SEEN_KEYS_MAX],
  );
}

export function feedQueries(engine: PostgresEngine): FeedStore {
  const { db, write, now, figures } = engine;
  const feeds = (where: string, params: unknown[]) =>
    allRows(db, `SELECT ${FEED_COLUMNS} FROM feeds ${where}`, params, toFeed);

  return {
    addFeed: (input, seenKeys) =>
      write(async (client) => {
        const record: FeedRecord = {
          id: newId(),
          ...input,
          createdAt: now(),
          status: 'ok',
          failures: 0,
        };
        const added = await affectsOneRow(
          client,
          `INSERT INTO feeds (id, url, title, added_by, created_at, status, failures,
                              last_polled_at, next_poll_at, etag, last_modified)
           VALUES ($1, $2, $3, $4, $5, 'ok', 0, $6, $7, $8, $9)
           ON CONFLICT (url) DO NOTHING`,
          [
            record.id,
            record.url,
            record.title,
            record.addedBy,
            record.createdAt,
            record.lastPolledAt ?? null,
            record.nextPollAt,
            record.etag ?? null,
            record.lastModified ?? null,
          ],
        );
        if (!added) throw new ConflictError('this feed is already followed');
        // In the order given, so the first ones are the first forgotten.
        await client.query(
          `INSERT INTO feed_entries_seen (feed_id, key, seen_at)
           SELECT $1, k.key, $3 FROM unnest($2::text[]) WITH ORDINALITY AS k(key, n) ORDER BY k.n
           ON CONFLICT DO NOTHING`,
          [record.id, seenKeys, record.createdAt],
        );
        await forgetOldestSeenKeys(client, record.id);
        return record;
      }),

    getFeed: async (id) => (await feeds('WHERE id = $1', [id]))[0],

    listFeeds: () => feeds('ORDER BY created_at, id', []),

    removeFeed: (id) =>
      write((client) => affectsOneRow(client, 'DELETE FROM feeds WHERE id = $1', [id])),

    listDueFeeds: (at, limit) =>
      feeds(
        `WHERE next_poll_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
         ORDER BY next_poll_at LIMIT $2`,
        [at, Math.max(0, limit)],
      ),

    // One UPDATE: of several nodes claiming at once, exactly one gets the row back.
    claimFeed: (id, at, until) =>
      write((client) =>
        firstRow(
          client,
          `UPDATE feeds SET claimed_until = $3
            WHERE id = $1 AND (claimed_until IS NULL OR claimed_until <= $2)
            RETURNING ${FEED_COLUMNS}`,
          [id, at, until],
          toFeed,
        ),
      ),

    async recordPoll(id, update, entries) {
      const result = await write(async (client, events) => {
        const feed = await firstRow(
          client,
          `UPDATE feeds SET title = $2, status = $3, failures = $4, next_poll_at = $5,
                  last_error = $6, last_polled_at = coalesce($7, last_polled_at),
                  etag = $8, last_modified = $9, claimed_until = NULL
            WHERE id = $1 RETURNING ${FEED_COLUMNS}`,
          [
            id,
            update.title,
            update.status,
            update.failures,
            update.nextPollAt,
            update.lastError ?? null,
            update.lastPolledAt ?? null,
            update.etag ?? null,
            update.lastModified ?? null,
          ],
          toFeed,
        );
        if (!feed) return undefined;
        const published: { post: PostRecord; event: EventRecord }[] = [];
        const keys = new Set<string>();
        for (const entry of entries) {
          if (keys.has(entry.key)) continue;
          keys.add(entry.key);
          const at = now();
          // The key goes in first: an entry seen before (or by another node) inserts nothing.
          const unseen = await affectsOneRow(
            client,
            `INSERT INTO feed_entries_seen (feed_id, key, seen_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING`,
            [id, entry.key, at],
          );
          if (!unseen) continue;
          const post = importedPost(feed, update.title, entry, at);
          await insertPost(client, post);
          const event = await events.record({
            ...importedPostEvent(post, update.title),
            createdAt: at,
          });
          published.push({ post, event });
        }
        if (published.length > 0) await forgetOldestSeenKeys(client, id);
        return published;
      });
      if (result && result.length > 0) {
        figures.count({ posts: result.length, events: result.length });
      }
      return result;
    },
  };
}
