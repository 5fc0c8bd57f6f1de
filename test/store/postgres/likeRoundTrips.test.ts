/**
 * A like on PostgreSQL is BEGIN, two statements and the commit (server/store/postgres/postQueries.ts,
 * addLike): every statement is a round trip through the node's event loop while the transaction
 * holds a pooled connection, and at 200 likes a second on a loaded node seven of them kept the
 * pool full (docs/STORAGE.md, "A like's round trips"). Real `postgres` with pg_stat_statements
 * counting what the store sent; the likes still notify exactly as the rules say.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore } from '../../../server/store/postgres/index.js';
import { startPostgres, type RunningPostgres } from '../../fixtures/postgres.js';
import { addUser, inboxOf, publish } from '../conformance/helpers.js';

const LIKES = 20;
/** BEGIN, the like's statement, the event's statement, the seqs' statement, COMMIT. */
const STATEMENTS_PER_LIKE = 5;

/**
 * Statements of the like's kind the server ran since the last reset: the store's own timers
 * (the newest seq every 5 s, the counts every 15 s) read without writing and are left out.
 */
async function likeStatements(observer: pg.Client): Promise<{ calls: number; seen: string }> {
  const { rows } = await observer.query<{ query: string; calls: number }>(
    `SELECT query, calls::int AS calls FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query NOT LIKE '%pg_stat_statements%'
        AND query !~* '^\\s*SELECT (latest_seq FROM event_seq$|count\\()'`,
  );
  return {
    calls: rows.reduce((sum, row) => sum + row.calls, 0),
    seen: rows.map((row) => `${row.calls}× ${row.query.replace(/\s+/g, ' ')}`).join('\n'),
  };
}

describe('a like on PostgreSQL', () => {
  let postgres: RunningPostgres;
  before(async () => {
    postgres = await startPostgres({
      settings: { shared_preload_libraries: 'pg_stat_statements' },
    });
  });
  after(async () => {
    await postgres?.cleanup();
  });

  it('takes BEGIN, two statements and the commit, and notifies as before', async () => {
    const url = await postgres.createDatabase();
    const store = createPostgresStore({ connectionString: url });
    await store.open();
    const observer = new pg.Client({ connectionString: url });
    await observer.connect();
    try {
      await observer.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      const author = await addUser(store, 'ada', true);
      const { post } = await publish(store, author, 'Hello');
      const likers = [];
      for (let index = 0; index < LIKES; index += 1) {
        likers.push(await addUser(store, `liker${index}`));
      }
      await observer.query('SELECT pg_stat_statements_reset()');
      const seqs: number[] = [];
      for (const liker of likers) {
        const { created, event } = await store.addLike(post.id, liker.id);
        assert.equal(created, true);
        assert.ok(event, `${liker.username}'s like told the author`);
        assert.equal(event.actorName, liker.username);
        assert.deepEqual(event.audience, { kind: 'user', userId: author.id });
        seqs.push(event.seq);
      }
      const { calls, seen } = await likeStatements(observer);
      assert.ok(
        calls <= LIKES * STATEMENTS_PER_LIKE,
        `${LIKES} likes ran ${calls} statements, more than ${STATEMENTS_PER_LIKE} each:\n${seen}`,
      );
      // One seq each, in the order liked, none skipped.
      assert.deepEqual(
        seqs,
        seqs.map((_, index) => (seqs[0] ?? 0) + index),
      );
      assert.equal((await inboxOf(store, author)).length, LIKES);

      // The author's own like, a second like, and a like taken back and given again tell nobody.
      assert.deepEqual(await store.addLike(post.id, author.id), { created: true });
      const [first] = likers;
      assert.ok(first);
      assert.deepEqual(await store.addLike(post.id, first.id), { created: false });
      assert.equal(await store.removeLike(post.id, first.id), true);
      assert.deepEqual(await store.addLike(post.id, first.id), { created: true });
      assert.deepEqual(await store.addLike('no-such-post', first.id), { created: false });
      assert.equal((await inboxOf(store, author)).length, LIKES);
    } finally {
      await observer.end();
      await store.close();
    }
  });
});
