/**
 * The driver's access to PostgreSQL: one pool, queries and transactions that turn "the database is
 * down" into StorageUnavailableError (errors.ts). A transaction resolves only after COMMIT
 * returned, so a change is durable (synchronous_commit, PostgreSQL's default) before any caller
 * pushes it; a failed one is rolled back and changes nothing.
 */
import pg from 'pg';
import { StorageUnavailableError } from '../store.js';
import { toStorageError } from './errors.js';
import { createReadGate, readsAtOnce } from './readGate.js';
import { createStatementNamer } from './statementNames.js';

// int8 (bigint: seqs, counts) as a JS number. Seqs and counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** A pool or one transaction's client: what the queries need. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** One transaction's client. */
export interface Transaction extends Queryable {
  /**
   * Ends the transaction: `sql` (no parameters, so it may hold several statements) and COMMIT go
   * to PostgreSQL as ONE message (the simple query protocol), which runs them back to back without
   * waiting for this process in between. A lock `sql` takes is then held only for the statement
   * and the commit, never for a round trip to a busy event loop. Resolves with `sql`'s results
   * once COMMIT returned.
   */
  commitWith(sql: string): Promise<pg.QueryResult[]>;
}

export interface Database extends Queryable {
  pool: pg.Pool;
  /** How many connections the pool holds at most (and keeps once opened). */
  size: number;
  transaction<T>(work: (client: Transaction) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

/** The pool's size when none is given. */
export const DEFAULT_POOL_SIZE = 10;

export interface DatabaseOptions {
  connectionString: string;
  /** Pool size (DEFAULT_POOL_SIZE). */
  maxConnections?: number;
  /** Told about errors on idle connections (PostgreSQL restarted); they must not crash the node. */
  onIdleError?: (error: Error) => void;
}

/** How long a request waits for a connection before it fails (503) instead of queueing for ever. */
const CONNECTION_WAIT_MS = 5_000;

export function openDatabase(options: DatabaseOptions): Database {
  const size = options.maxConnections ?? DEFAULT_POOL_SIZE;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: size,
    // Connections opened stay open (warmPool.ts opens them all at start): a new one costs a
    // PostgreSQL backend and its cold caches in the middle of a burst.
    min: size,
    connectionTimeoutMillis: CONNECTION_WAIT_MS,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  // Transactions (every write) bypass the gate: a storm's reads cannot hold the whole pool.
  const reads = createReadGate({
    limit: readsAtOnce(size),
    waitLimitMs: CONNECTION_WAIT_MS,
    timedOut: () =>
      new StorageUnavailableError(
        `PostgreSQL is unavailable: no connection for a read within ${CONNECTION_WAIT_MS} ms`,
      ),
  });

  // Statements with parameters are prepared once per connection (statementNames.ts).
  const statements = createStatementNamer();

  return {
    pool,
    size,
    async query(sql, params) {
      try {
        return await reads.run(() => pool.query(statements.configFor(sql, params)));
      } catch (error) {
        throw toStorageError(error);
      }
    },
    async transaction(work) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw toStorageError(error);
      }
      let broken: Error | undefined;
      let committed = false;
      const transaction: Transaction = {
        query: (sql, params) => client.query(statements.configFor(sql, params)),
        async commitWith(sql) {
          // Several statements in one simple query answer with one result each (pg's typings
          // only know the single-statement case).
          const results = (await client.query(`${sql}; COMMIT`)) as unknown as pg.QueryResult[];
          committed = true;
          return results.slice(0, -1);
        },
      };
      try {
        await client.query('BEGIN');
        const result = await work(transaction);
        if (!committed) await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackFailed: Error) => {
          broken = rollbackFailed;
        });
        throw toStorageError(error);
      } finally {
        // A connection that could not roll back is dropped, not reused.
        client.release(broken);
      }
    },
    end: () => pool.end(),
  };
}
