/**
 * Seqs are issued with COMMIT (server/store/postgres/events.ts): a transaction that has recorded
 * an event but not yet committed holds no lock that other nodes' notifying writes wait for. A feed
 * poll is held open after recording its first entry's event (the row its second entry needs is
 * locked by another session); another node publishes meanwhile, and the seqs still follow commit
 * order, none skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore } from '../../../server/store/postgres/index.js';
import type { Store } from '../../../server/store/store.js';
import { startPostgres, type RunningPostgres } from '../../fixtures/postgres.js';
import { addUser, feedEntry as entry, inboxOf, publish } from '../conformance/helpers.js';

async function openStore(connectionString: string): Promise<Store> {
  const store = createPostgresStore({ connectionString });
  await store.open();
  return store;
}

/** Far longer than a publish takes; reached only when the publish waits for the open poll. */
const STUCK_MS = 10_000;

describe('the PostgreSQL event-seq lock', () => {
  let postgres: RunningPostgres;
  before(async () => {
    postgres = await startPostgres();
  });
  after(async () => {
    await postgres?.cleanup();
  });

  it('an open transaction that recorded an event does not hold back another node’s publish', async () => {
    const url = await postgres.createDatabase();
    const poller = await openStore(url); // node A
    const writer = await openStore(url); // node B
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    // Outside any transaction: pg_stat_activity is a snapshot per transaction.
    const watcher = new pg.Client({ connectionString: url });
    await watcher.connect();
    try {
      const admin = await addUser(poller, 'root', true);
      const reader = await addUser(poller, 'ben');
      await poller.subscribe(reader.id);
      const feed = await poller.addFeed(
        {
          url: 'https://blog.example/feed',
          title: 'Elsewhere',
          addedBy: admin.id,
          nextPollAt: '2026-11-30T10:00:00.000Z',
        },
        [],
      );
      // Another session inserts entry "b"'s key and does not commit: the poll's insert of that
      // key waits for it, after the poll recorded entry "a"'s event.
      await blocker.query('BEGIN');
      await blocker.query(
        "INSERT INTO feed_entries_seen (feed_id, key, seen_at) VALUES ($1, 'b', now())",
        [feed.id],
      );
      const polling = poller.recordPoll(
        feed.id,
        { title: 'Elsewhere', status: 'ok', failures: 0, nextPollAt: '2026-11-30T10:15:00.000Z' },
        [entry('a'), entry('b')],
      );
      let failed: unknown;
      polling.catch((error: unknown) => (failed = error));
      for (let tries = 0; ; tries += 1) {
        if (failed !== undefined) throw failed;
        assert.ok(tries < 500, 'the poll never waited for the blocked key');
        const { rows } = await watcher.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO feed_entries_seen%'`,
        );
        if ((rows[0]?.waiting ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<'stuck'>((resolve) => {
        timer = setTimeout(() => resolve('stuck'), STUCK_MS);
      });
      const published = await Promise.race([publish(writer, admin, 'Meanwhile'), stuck]);
      clearTimeout(timer);
      await blocker.query('ROLLBACK');
      assert.notEqual(published, 'stuck', 'the publish waited for the open poll');

      const polled = await polling;
      assert.deepEqual(
        polled?.map(({ post }) => post.title),
        ['Entry a', 'Entry b'],
      );
      const seqs = [published, ...(polled ?? [])].map((each) =>
        each === 'stuck' ? 0 : each.event.seq,
      );
      assert.deepEqual(seqs, [1, 2, 3], 'the publish committed first, so it has the first seq');
      assert.deepEqual(await inboxOf(writer, reader), [
        'new_post:Meanwhile',
        'new_post:Entry a',
        'new_post:Entry b',
      ]);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
      await watcher.end();
      await poller.close();
      await writer.close();
    }
  });
});
