/**
 * An operator moves a lowdb blog to PostgreSQL with `migrate-to-postgres`: the benchmark's seed
 * (small), plus read marks, unsubscriptions and unlikes so every kind of record is there. After
 * the copy every user's inbox, unread count and `since` catch-up answer exactly as before, and
 * the command refuses a database that already holds data.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { seed, type Seeded } from '../../bench/seed.js';
import { hashToken } from '../../server/domain/tokens.js';
import { createLowdbStore } from '../../server/store/lowdb/index.js';
import { createPostgresStore } from '../../server/store/postgres/index.js';
import type { Store } from '../../server/store/store.js';
import { startPostgres, type RunningPostgres } from '../fixtures/postgres.js';
import { runCli } from '../fixtures/server.js';

/** Everything a user's clients can ask the store about their inbox. */
async function answersFor(store: Store, userId: string, seqs: number[]) {
  const describe = (entries: Awaited<ReturnType<Store['listInbox']>>) =>
    entries.map(({ event, read }) => ({ ...event, read }));
  const catchUps = [];
  for (const since of seqs) {
    catchUps.push(describe(await store.listInbox(userId, { afterSeq: since, limit: 50 })));
  }
  return {
    newest: describe(await store.listInbox(userId, { limit: 10_000 })),
    olderPage: describe(await store.listInbox(userId, { beforeSeq: seqs[2] ?? 1, limit: 7 })),
    unread: await store.unreadCount(userId),
    subscribed: await store.isSubscribed(userId),
    catchUps,
  };
}

/** Read marks in every shape, unsubscriptions and unlikes, made through the store's own rules. */
async function liveABit(dataDir: string, seeded: Seeded): Promise<void> {
  const store = createLowdbStore({ dataDir });
  await store.open();
  try {
    const readers = seeded.users.slice(seeded.authors.length);
    for (const [i, reader] of readers.entries()) {
      const inbox = await store.listInbox(reader.id, { afterSeq: 0, limit: 10_000 });
      if (i % 4 === 0) await store.markAllRead(reader.id);
      if (i % 4 === 1) {
        // Out of order: every third item, then the oldest (the cursor moves past a run).
        await store.markRead(
          reader.id,
          inbox.filter((_, at) => at % 3 === 2).map((entry) => entry.event.id),
        );
        await store.markRead(
          reader.id,
          inbox.slice(0, 2).map((entry) => entry.event.id),
        );
      }
      if (i % 5 === 0) await store.unsubscribe(reader.id);
    }
    const [firstPost] = seeded.posts;
    const [liker] = [...seeded.likes].map((key) => key.split(' ')[1] ?? '');
    if (firstPost && liker) await store.removeLike(firstPost.id, liker);
    // Subscribers who left see these no more; the rest still do.
    const [author] = seeded.authors;
    if (author) await store.publishPost({ authorId: author.id, title: 'After', body: 'late' });
  } finally {
    await store.close();
  }
}

describe('migrate-to-postgres', () => {
  let postgres: RunningPostgres;
  let seeded: Seeded;
  before(async () => {
    postgres = await startPostgres();
    seeded = await seed({ users: 60, authors: 3, subscribe: true, posts: 30, likesPerPost: 4 });
    await liveABit(seeded.dataDir, seeded);
  });
  after(async () => {
    await postgres?.cleanup();
    if (seeded) await rm(seeded.dataDir, { recursive: true, force: true });
  });

  it('copies the seeded blog, and every inbox, count and catch-up answers as before', async () => {
    const lowdb = createLowdbStore({ dataDir: seeded.dataDir });
    await lowdb.open();
    const latest = lowdb.latestSeq();
    const probes = [0, 1, Math.floor(latest / 2), latest - 3, latest];
    const everyone = [...seeded.authors, ...seeded.users.slice(seeded.authors.length)];
    const before = new Map();
    for (const user of everyone) before.set(user.id, await answersFor(lowdb, user.id, probes));
    const postsBefore = await lowdb.listPosts(0, 1_000);
    await lowdb.close();

    const databaseUrl = await postgres.createDatabase();
    const copied = await runCli([
      'migrate-to-postgres',
      '--data-dir',
      seeded.dataDir,
      '--database-url',
      databaseUrl,
    ]);
    assert.equal(copied.code, 0, copied.stderr);
    assert.match(copied.stdout, /^copied 60 users, 60 tokens, 31 posts, \d+ likes/);
    assert.match(copied.stdout, /and gathered its statistics \(VACUUM ANALYZE\)$/m);
    // The copied tables were vacuumed and analyzed, so the first minutes of serving do not plan
    // without statistics or count through the heap.
    const observer = new pg.Client({ connectionString: databaseUrl });
    await observer.connect();
    try {
      const { rows } = await observer.query<{ relname: string }>(
        `SELECT relname FROM pg_stat_user_tables
          WHERE relname IN ('events', 'likes', 'subscription_spans', 'read_state')
            AND (last_vacuum IS NULL OR last_analyze IS NULL)`,
      );
      assert.deepEqual(rows, [], 'every copied table vacuumed and analyzed');
    } finally {
      await observer.end();
    }

    const store = createPostgresStore({ connectionString: databaseUrl });
    await store.open();
    try {
      assert.equal(store.latestSeq(), latest);
      for (const user of everyone) {
        assert.deepEqual(
          await answersFor(store, user.id, probes),
          before.get(user.id),
          `user ${user.id}`,
        );
      }
      assert.deepEqual(await store.listPosts(0, 1_000), postsBefore);
      // Device tokens still sign in, and seqs go on where lowdb stopped.
      const [reader] = seeded.users.slice(seeded.authors.length);
      assert.ok(reader);
      assert.equal((await store.findTokenByHash(hashToken(reader.token)))?.userId, reader.id);
      const [author] = seeded.authors;
      assert.ok(author);
      const { event } = await store.publishPost({ authorId: author.id, title: 'x', body: 'y' });
      assert.equal(event.seq, latest + 1);
    } finally {
      await store.close();
    }
  });

  it('refuses a database that already holds data, and changes nothing', async () => {
    const databaseUrl = await postgres.createDatabase();
    const used = createPostgresStore({ connectionString: databaseUrl });
    await used.open();
    await used.createUser({ username: 'early', passwordHash: 'h', isAdmin: true, isAuthor: true });
    await used.close();

    const refused = await runCli([
      'migrate-to-postgres',
      '--data-dir',
      seeded.dataDir,
      '--database-url',
      databaseUrl,
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr.trim(), /^tidings-server: the database already holds Tidings data/);
    assert.equal(refused.stderr.trim().split('\n').length, 1);

    const store = createPostgresStore({ connectionString: databaseUrl });
    await store.open();
    try {
      assert.equal(await store.countUsers(), 1);
      assert.equal(store.latestSeq(), 0);
    } finally {
      await store.close();
    }
  });

  it('needs both flags, and a data dir that holds a blog', async () => {
    const databaseUrl = await postgres.createDatabase();
    const noUrl = await runCli(['migrate-to-postgres', '--data-dir', seeded.dataDir]);
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.stderr, /needs --database-url/);
    const noDir = await runCli(['migrate-to-postgres', '--database-url', databaseUrl]);
    assert.equal(noDir.code, 2);
    assert.match(noDir.stderr, /needs --data-dir/);
    const empty = await runCli([
      'migrate-to-postgres',
      '--data-dir',
      `${seeded.dataDir}-nothing-here`,
      '--database-url',
      databaseUrl,
    ]);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /no Tidings data in .*nothing-here/);
  });
});
