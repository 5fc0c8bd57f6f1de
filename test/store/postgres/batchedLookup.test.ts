/**
 * The PostgreSQL driver's batched lookups (server/store/postgres/batchedLookup.ts), against a real
 * table: the callers of one turn share one query and each gets its own row, a key asked twice is
 * sent once, a key asked while a query is in flight waits for the next one (and sees what was
 * committed before it asked), a failed query fails every caller in it and only them, a batch
 * never holds more than its most keys, and a key with several rows gets them all, in order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createBatchedLookup } from '../../../server/store/postgres/batchedLookup.js';
import { startPostgres, type RunningPostgres } from '../../fixtures/postgres.js';

interface NameRow {
  id: string;
  name: string;
}

describe('a batched lookup', () => {
  let postgres: RunningPostgres;
  let pool: pg.Pool;
  before(async () => {
    postgres = await startPostgres();
    pool = new pg.Pool({ connectionString: await postgres.createDatabase() });
    await pool.query('CREATE TABLE names (id text PRIMARY KEY, name text NOT NULL)');
    await pool.query("INSERT INTO names VALUES ('a', 'Ana'), ('b', 'Ben'), ('c', 'Cy')");
    await pool.query('CREATE TABLE pets (owner text NOT NULL, pet text NOT NULL)');
    await pool.query("INSERT INTO pets VALUES ('a', 'Rex'), ('b', 'Tom'), ('a', 'Ace')");
  });
  after(async () => {
    await pool?.end();
    await postgres?.cleanup();
  });

  /** A lookup of `names` by id that records the keys of every query it sends. */
  function namesLookup(options: { maxKeys?: number; hold?: () => Promise<void> } = {}) {
    const queries: string[][] = [];
    const lookup = createBatchedLookup({
      async query(ids: string[]) {
        queries.push(ids);
        await options.hold?.();
        const { rows } = await pool.query<NameRow>(
          'SELECT id, name FROM names WHERE id = ANY($1::text[])',
          [ids],
        );
        return rows;
      },
      keyOf: (row) => row.id,
      toValue: ([row]) => row?.name,
      ...(options.maxKeys === undefined ? {} : { maxKeys: options.maxKeys }),
    });
    return { lookup, queries };
  }

  it('answers the callers of one turn with one query, each with its own row', async () => {
    const { lookup, queries } = namesLookup();
    const names = await Promise.all(['c', 'a', 'nobody', 'b', 'a'].map((id) => lookup(id)));
    assert.deepEqual(names, ['Cy', 'Ana', undefined, 'Ben', 'Ana']);
    assert.deepEqual(queries, [['c', 'a', 'nobody', 'b']], 'one query, "a" sent once');
  });

  it('sends a key asked while a query is in flight in the next query, read after it asked', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holdNext = true;
    const { lookup, queries } = namesLookup({
      hold: () => {
        if (!holdNext) return Promise.resolve();
        holdNext = false;
        return held;
      },
    });
    const first = lookup('a');
    while (queries.length === 0) await new Promise((resolve) => setImmediate(resolve));
    // Committed while the first query waits to run, then asked for: the answer must show it.
    await pool.query("INSERT INTO names VALUES ('d', 'Di')");
    const second = [lookup('d'), lookup('a'), lookup('b')];
    release();
    assert.equal(await first, 'Ana');
    assert.deepEqual(await Promise.all(second), ['Di', 'Ana', 'Ben']);
    assert.deepEqual(queries, [['a'], ['d', 'a', 'b']]);
  });

  it('fails every caller of a failed query, and only them', async () => {
    let failNext = true;
    const { lookup } = namesLookup({
      hold: async () => {
        if (!failNext) return;
        failNext = false;
        // A real error from PostgreSQL, as when the database goes away mid-storm.
        await pool.query('SELECT 1/0');
      },
    });
    const failed = await Promise.allSettled([lookup('a'), lookup('b'), lookup('a')]);
    assert.deepEqual(
      failed.map((result) => result.status),
      ['rejected', 'rejected', 'rejected'],
    );
    for (const result of failed) {
      if (result.status === 'rejected') assert.match(String(result.reason), /division by zero/);
    }
    assert.equal(await lookup('a'), 'Ana', 'the next query is sent as usual');
  });

  it('sends at most its most keys in one query, and the rest in the next', async () => {
    const { lookup, queries } = namesLookup({ maxKeys: 2 });
    const names = await Promise.all(['a', 'b', 'c', 'a', 'nobody'].map((id) => lookup(id)));
    assert.deepEqual(names, ['Ana', 'Ben', 'Cy', 'Ana', undefined]);
    assert.deepEqual(queries, [
      ['a', 'b'],
      ['c', 'nobody'],
    ]);
  });

  it('hands each key all of its rows, in the query’s order, and none to a key without', async () => {
    const pets = createBatchedLookup({
      async query(owners: string[]) {
        const { rows } = await pool.query<{ owner: string; pet: string }>(
          'SELECT owner, pet FROM pets WHERE owner = ANY($1::text[]) ORDER BY owner, pet',
          [owners],
        );
        return rows;
      },
      keyOf: (row) => row.owner,
      toValue: (rows) => rows.map((row) => row.pet),
    });
    const owned = await Promise.all(['a', 'c', 'b', 'a'].map((owner) => pets(owner)));
    assert.deepEqual(owned, [['Ace', 'Rex'], [], ['Tom'], ['Ace', 'Rex']]);
  });
});
