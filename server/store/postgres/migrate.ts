/**
 * Applies the schema migrations a database lacks, each in its own transaction, under an advisory
 * lock: nodes starting together wait for the first one, then find nothing left to do. The
 * `schema_migrations` table records each version once.
 */
import type pg from 'pg';
import { MIGRATION_LOCK } from './locks.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

/** The database was migrated by a newer Tidings; this one must not touch it. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

/** Returns the versions this call applied (empty when the database was up to date). */
export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY,
          name text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM schema_migrations',
      );
      const applied = new Set(rows.map((row) => row.version));
      const newest = Math.max(0, ...applied);
      const known = Math.max(0, ...migrations.map((m) => m.version));
      if (newest > known) {
        throw new SchemaTooNewError(
          `the database schema is at version ${newest}, newer than this server knows (${known}); ` +
            'upgrade Tidings on this node',
        );
      }
      const done: number[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
        done.push(migration.version);
      }
      return done;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {
        broken = true;
      });
    }
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    // A client whose unlock failed may still hold the lock: destroy it rather than pool it.
    client.release(broken);
  }
}
