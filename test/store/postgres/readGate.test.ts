/**
 * The reads' gate in front of the PostgreSQL pool (server/store/postgres/readGate.ts): it runs at
 * most its limit of reads at once, in the order asked, frees a slot when a read fails, fails a read
 * that waited too long without losing a slot; and through the driver's database (database.ts) on a
 * real PostgreSQL, a pool of one or two connections still serves reads and transactions together,
 * and a transaction gets a connection while the reads the gate lets run all wait on a lock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openDatabase, type Database } from '../../../server/store/postgres/database.js';
import { createReadGate, readsAtOnce } from '../../../server/store/postgres/readGate.js';
import { holdTableLock, startPostgres, type RunningPostgres } from '../../fixtures/postgres.js';
import { waitUntil } from '../../fixtures/sockets.js';

/** A read that runs until the test lets it go. */
function heldRead(started: string[], name: string) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  return {
    read: async () => {
      started.push(name);
      await held;
      return name;
    },
    release,
  };
}

const gate = (limit: number, waitLimitMs = 60_000) =>
  createReadGate({ limit, waitLimitMs, timedOut: () => new Error('waited too long') });

describe('the reads gate', () => {
  it('keeps a fifth of the pool from reads, and lets a pool of one or two read', () => {
    assert.deepEqual([1, 2, 3, 5, 10, 20].map(readsAtOnce), [1, 1, 2, 4, 8, 16]);
  });

  it('runs at most its limit at once, the rest in the order asked', async () => {
    const started: string[] = [];
    const reads = gate(2);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => heldRead(started, name));
    const results = [a, b, c, d].map((each) => each && reads.run(each.read));
    assert.deepEqual(started, ['a', 'b']);
    b?.release();
    await results[1];
    assert.deepEqual(started, ['a', 'b', 'c']);
    a?.release();
    c?.release();
    d?.release();
    assert.deepEqual(await Promise.all(results), ['a', 'b', 'c', 'd']);
    assert.deepEqual(started, ['a', 'b', 'c', 'd']);
  });

  it('frees the slot of a read that failed', async () => {
    const reads = gate(1);
    await assert.rejects(
      reads.run(() => Promise.reject(new Error('no such table'))),
      /no such table/,
    );
    assert.equal(await reads.run(() => Promise.resolve('next')), 'next');
  });

  it('fails a read that waited past its limit, and keeps the slots right', async () => {
    const started: string[] = [];
    const reads = gate(1, 1);
    const first = heldRead(started, 'first');
    const running = reads.run(first.read);
    await assert.rejects(
      reads.run(() => Promise.resolve('late')),
      /waited too long/,
    );
    first.release();
    assert.equal(await running, 'first');
    assert.equal(await reads.run(() => Promise.resolve('after')), 'after');
  });
});

describe('the driver’s database with its reads gated', () => {
  let postgres: RunningPostgres;
  let databaseUrl: string;
  const opened: Database[] = [];
  before(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase();
    const setup = new pg.Client({ connectionString: databaseUrl });
    await setup.connect();
    await setup.query('CREATE TABLE notes (id serial PRIMARY KEY, text text NOT NULL)');
    await setup.query('CREATE TABLE held (id int)');
    await setup.end();
  });
  after(async () => {
    await Promise.all(opened.map((db) => db.end()));
    await postgres?.cleanup();
  });
  const open = (maxConnections: number) => {
    const db = openDatabase({ connectionString: databaseUrl, maxConnections });
    opened.push(db);
    return db;
  };

  for (const size of [1, 2]) {
    it(`serves reads and transactions together on a pool of ${size}`, async () => {
      const db = open(size);
      const work = Array.from({ length: 20 }, (_, i) =>
        i % 4 === 0
          ? db.transaction(async (client) => {
              await client.query('INSERT INTO notes (text) VALUES ($1)', [`note ${i}`]);
              return client.query('SELECT count(*)::int AS n FROM notes');
            })
          : db.query('SELECT count(*)::int AS n FROM notes'),
      );
      const results = await Promise.all(work);
      assert.equal(results.length, 20);
    });
  }

  it('gives a transaction a connection while every read it lets run waits on a lock', async () => {
    const db = open(5);
    const lock = await holdTableLock(databaseUrl, 'held');
    try {
      const answered: number[] = [];
      const reads = Array.from({ length: 10 }, (_, i) =>
        db.query('SELECT count(*) FROM held').then(() => answered.push(i)),
      );
      await waitUntil(
        async () => (await lock.readsWaiting()) === readsAtOnce(5),
        'the reads the gate lets run wait on the lock',
      );
      const id = await db.transaction(async (client) => {
        const { rows } = await client.query<{ id: number }>(
          "INSERT INTO notes (text) VALUES ('written meanwhile') RETURNING id",
        );
        return rows[0]?.id;
      });
      assert.ok(id !== undefined);
      assert.deepEqual(answered, [], 'the transaction ended before any read');
      await lock.release();
      await Promise.all(reads);
      assert.equal(answered.length, 10);
    } finally {
      await lock.end();
    }
  });
});
