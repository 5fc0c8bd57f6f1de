/**
 * Schema migrations on a real PostgreSQL: versioned, applied once however many nodes start at
 * once, and a database migrated by a newer Tidings is left alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { migrate, SchemaTooNewError } from '../../../server/store/postgres/migrate.js';
import { MIGRATIONS } from '../../../server/store/postgres/migrations/index.js';
import { startPostgres, type RunningPostgres } from '../../fixtures/postgres.js';

describe('PostgreSQL schema migrations', () => {
  let postgres: RunningPostgres;
  before(async () => {
    postgres = await startPostgres();
  });
  after(async () => {
    await postgres?.cleanup();
  });

  it('three nodes starting at once on a fresh database migrate it once', async () => {
    const url = await postgres.createDatabase();
    const pools = [1, 2, 3].map(() => new pg.Pool({ connectionString: url, max: 2 }));
    const [first, second] = pools as [pg.Pool, pg.Pool, pg.Pool];
    try {
      const applied = await Promise.all(pools.map((pool) => migrate(pool)));
      const everyVersion = MIGRATIONS.map((m) => m.version);
      assert.deepEqual(
        applied.flat().sort((a, b) => a - b),
        everyVersion,
        'each migration was applied by exactly one of them',
      );
      const { rows } = await first.query<{ version: number; n: string }>(
        'SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version',
      );
      assert.deepEqual(
        rows.map((row) => [row.version, Number(row.n)]),
        everyVersion.map((version) => [version, 1]),
      );
      assert.deepEqual(await migrate(second), [], 'a later start finds nothing to do');
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('refuses a database whose schema is newer than this server, and changes nothing', async () => {
    const url = await postgres.createDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await migrate(pool);
      const newer = Math.max(...MIGRATIONS.map((m) => m.version)) + 1;
      await pool.query(
        `INSERT INTO schema_migrations (version, name) VALUES ($1, 'from the future')`,
        [newer],
      );
      await assert.rejects(
        migrate(pool),
        (error: unknown) =>
          error instanceof SchemaTooNewError &&
          /version \d+, newer than this server/.test(error.message),
      );
      const { rows: versions } = await pool.query('SELECT version FROM schema_migrations');
      assert.equal(versions.length, MIGRATIONS.length + 1, 'nothing was recorded or removed');
    } finally {
      await pool.end();
    }
  });

  it('a migration that fails is rolled back whole and not recorded', async () => {
    const url = await postgres.createDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const broken = [
        ...MIGRATIONS,
        {
          version: 999,
          name: 'broken',
          sql: 'CREATE TABLE half (x int); SELECT no_such_function()',
        },
      ];
      await assert.rejects(migrate(pool, broken), /no_such_function/);
      const { rows } = await pool.query<{ t: string | null; n: string }>(
        `SELECT to_regclass('half') AS t, (SELECT count(*) FROM schema_migrations WHERE version = 999) AS n`,
      );
      assert.deepEqual([rows[0]?.t, Number(rows[0]?.n)], [null, 0]);
    } finally {
      await pool.end();
    }
  });
});
