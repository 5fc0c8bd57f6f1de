/**
 * Retention in the PostgreSQL driver, as in lowdb's (test/store/retention.test.ts): it runs at
 * open and then hourly, drops the oldest events past the age or count limit, and leaves seqs,
 * read state and unread counts meaning what they meant.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore } from '../../../server/store/postgres/index.js';
import type { RetentionPolicy } from '../../../server/store/postgres/retention.js';
import type { Store } from '../../../server/store/store.js';
import { startPostgres, type RunningPostgres } from '../../fixtures/postgres.js';
import { addUser, inboxOf, publish } from '../conformance/helpers.js';

const DAY = 24 * 60 * 60 * 1000;

async function openStore(
  connectionString: string,
  clock: () => Date,
  retention: Partial<RetentionPolicy> = {},
): Promise<Store> {
  const store = createPostgresStore({ connectionString, clock, retention });
  await store.open();
  return store;
}

async function rowsOf(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL retention', () => {
  let postgres: RunningPostgres;
  before(async () => {
    postgres = await startPostgres();
  });
  after(async () => {
    await postgres?.cleanup();
  });

  it('drops events older than the age limit; the seq counter and read state carry on', async () => {
    const url = await postgres.createDatabase();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = () => new Date(now);
    let store = await openStore(url, clock, { maxEventAgeDays: 90 });
    const author = await addUser(store, 'author', true);
    const reader = await addUser(store, 'reader');
    await store.subscribe(reader.id);
    await publish(store, author, 'old 1');
    const { event: old2 } = await publish(store, author, 'old 2');
    await store.markRead(reader.id, [old2.id]);
    await store.close();

    now += 91 * DAY;
    store = await openStore(url, clock, { maxEventAgeDays: 90 });
    try {
      assert.equal(store.latestSeq(), 2);
      assert.deepEqual(await inboxOf(store, reader), []);
      assert.equal(await store.unreadCount(reader.id), 0, 'the stale mark is not subtracted');
      assert.deepEqual(await rowsOf(url, 'SELECT cursor_seq, above FROM read_state'), [
        { cursor_seq: 0, above: [] },
      ]);
      const { event: fresh } = await publish(store, author, 'fresh');
      assert.equal(fresh.seq, 3, 'seqs are never reused');
      assert.deepEqual(await inboxOf(store, reader), ['new_post:fresh']);
      assert.equal(await store.unreadCount(reader.id), 1);
    } finally {
      await store.close();
    }
  });

  it('keeps at most maxEvents, oldest dropped first, and unread counts stay right', async () => {
    const url = await postgres.createDatabase();
    const clock = () => new Date();
    let store = await openStore(url, clock, { maxEvents: 5 });
    const author = await addUser(store, 'author', true);
    const reader = await addUser(store, 'reader');
    const leaver = await addUser(store, 'leaver');
    await store.subscribe(reader.id);
    await store.subscribe(leaver.id);
    for (let i = 1; i <= 3; i++) await publish(store, author, `post ${i}`);
    await store.unsubscribe(leaver.id);
    assert.equal(await store.markAllRead(reader.id), 3);
    for (let i = 4; i <= 8; i++) await publish(store, author, `post ${i}`);
    await store.close();

    store = await openStore(url, clock, { maxEvents: 5 });
    try {
      assert.deepEqual(await rowsOf(url, 'SELECT seq FROM events ORDER BY seq'), [
        { seq: 4 },
        { seq: 5 },
        { seq: 6 },
        { seq: 7 },
        { seq: 8 },
      ]);
      assert.equal(await store.unreadCount(reader.id), 5);
      assert.deepEqual(await inboxOf(store, leaver), []);
      assert.deepEqual(
        await rowsOf(url, 'SELECT user_id FROM subscription_spans ORDER BY user_id'),
        [{ user_id: reader.id }],
        "the leaver's span only covered dropped events",
      );
    } finally {
      await store.close();
    }
  });
});
