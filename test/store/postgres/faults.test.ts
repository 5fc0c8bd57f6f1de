/**
 * What only the PostgreSQL driver's own tests can inject: the database going away mid-use, and
 * power loss right after a write resolved (kill -9 of postgres, with fsync on). A failed write
 * rejects with StorageUnavailableError and changes nothing; the same store works again once the
 * database is back; a resolved write is still there after the crash. Also: seqs become visible in
 * order even when transactions commit concurrently, so a catch-up by `since` never skips one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPostgresStore } from '../../../server/store/postgres/index.js';
import { StorageUnavailableError, type Store } from '../../../server/store/store.js';
import { startPostgres, type RunningPostgres } from '../../fixtures/postgres.js';
import { addUser, inboxOf, publish } from '../conformance/helpers.js';

async function openStore(connectionString: string): Promise<Store> {
  const store = createPostgresStore({ connectionString });
  await store.open();
  return store;
}

describe('the PostgreSQL driver when the database fails', () => {
  let postgres: RunningPostgres;
  before(async () => {
    // fsync on: the crash test below is about what reached the disk.
    postgres = await startPostgres({ durable: true });
  });
  after(async () => {
    await postgres?.cleanup();
  });

  it('a write while PostgreSQL is down rejects with StorageUnavailableError, changes nothing, and the store recovers', async () => {
    const url = await postgres.createDatabase();
    const store = await openStore(url);
    try {
      const author = await addUser(store, 'ana', true);
      const reader = await addUser(store, 'ben');
      await store.subscribe(reader.id);
      await publish(store, author, 'Before');
      const latest = store.latestSeq();

      await postgres.stop();
      try {
        await assert.rejects(publish(store, author, 'During'), StorageUnavailableError);
        await assert.rejects(store.markAllRead(reader.id), StorageUnavailableError);
        await assert.rejects(store.unreadCount(reader.id), StorageUnavailableError);
        await store.settled(); // never rejects
      } finally {
        await postgres.start();
      }

      assert.deepEqual(await inboxOf(store, reader), ['new_post:Before']);
      assert.equal(await store.unreadCount(reader.id), 1);
      const { event } = await publish(store, author, 'After');
      assert.equal(event.seq, latest + 1, 'the failed publish used up no seq');
      assert.deepEqual(await inboxOf(store, reader), ['new_post:Before', 'new_post:After']);
    } finally {
      await store.close();
    }
  });

  it('a write that resolved survives kill -9 of postgres', async () => {
    const url = await postgres.createDatabase();
    const store = await openStore(url);
    let postId: string;
    try {
      const author = await addUser(store, 'ana', true);
      ({
        post: { id: postId },
      } = await publish(store, author, 'Written in stone'));
      await postgres.kill9();
    } finally {
      await store.close();
    }
    await postgres.start();
    const reopened = await openStore(url);
    try {
      assert.equal((await reopened.getPost(postId))?.title, 'Written in stone');
    } finally {
      await reopened.close();
    }
  });

  it('seqs become visible in order: under concurrent publishing, every catch-up is gap-free', async () => {
    const url = await postgres.createDatabase();
    const writer = await openStore(url);
    const reader = await openStore(url); // another node
    try {
      const author = await addUser(writer, 'ana', true);
      const ben = await addUser(writer, 'ben');
      await writer.subscribe(ben.id);
      let since = 0;
      const seen: number[] = [];
      const publishing = Promise.all(
        Array.from({ length: 60 }, (_, i) => publish(writer, author, `post ${i}`)),
      );
      let done = false;
      void publishing.then(() => (done = true));
      // A client catching up by `since` again and again while the posts commit.
      while (!done || since < writer.latestSeq()) {
        const entries = await reader.listInbox(ben.id, { afterSeq: since, limit: 1_000 });
        for (const { event } of entries) {
          seen.push(event.seq);
          since = event.seq;
        }
      }
      await publishing;
      assert.deepEqual(
        seen,
        Array.from({ length: 60 }, (_, i) => i + 1),
        'every seq once, in order, none skipped',
      );
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
