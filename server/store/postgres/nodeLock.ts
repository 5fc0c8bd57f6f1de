/**
 * Who serves a database. A node without Redis keeps its unread counts, rooms and rate limits to
 * itself, so it must be the only node on its database: it holds NODE_LOCK exclusively, on its own
 * connection, for as long as it runs. Nodes with Redis share the blog through it and hold the same
 * lock shared, so any number of them can run together, but never beside a lone node.
 *
 * A session-level advisory lock dies with its connection, so a node that is killed releases it at
 * once. If the connection drops while the node runs (PostgreSQL restarted), the lock is taken
 * again as soon as the database is back.
 */
import pg from 'pg';
import { DatabaseInUseError } from './databaseInUse.js';
import { NODE_LOCK } from './locks.js';

export { DatabaseInUseError };

export interface NodeLock {
  release(): Promise<void>;
}

export interface NodeLockOptions {
  connectionString: string;
  /** True for nodes that share the blog through Redis. */
  shared: boolean;
  /** Told when the lock was lost and could not be taken back (another node took it meanwhile). */
  onLost?: (message: string) => void;
}

const RETRY_MS = 1_000;

async function tryLock(client: pg.Client, shared: boolean): Promise<boolean> {
  const call = shared ? 'pg_try_advisory_lock_shared' : 'pg_try_advisory_lock';
  const { rows } = await client.query<{ locked: boolean }>(`SELECT ${call}($1) AS locked`, [
    NODE_LOCK,
  ]);
  return rows[0]?.locked === true;
}

function refusal(shared: boolean): string {
  return shared
    ? 'another Tidings node serves this database without --redis-url; ' +
        'stop it, or give every node the same --redis-url'
    : 'another Tidings node already serves this database; a node without --redis-url must be ' +
        'the only one: stop the other, or run every node with the same --redis-url';
}

/** Takes the lock or rejects with DatabaseInUseError; connection failures reject as they are. */
export async function claimDatabase(options: NodeLockOptions): Promise<NodeLock> {
  let released = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: options.connectionString });
    // A dropped connection is noticed through 'end'; the error itself needs no more handling.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };

  const holdOn = (client: pg.Client): void => {
    client.once('end', () => {
      if (!released) retry = setTimeout(reclaim, RETRY_MS);
    });
  };

  const reclaim = (): void => {
    retry = undefined;
    if (released) return;
    connect().then(
      async (client) => {
        let locked = false;
        try {
          locked = await tryLock(client, options.shared);
        } catch {
          // The database went away again: try later.
        }
        if (released) {
          await client.end().catch(() => undefined);
        } else if (locked) {
          current = client;
          holdOn(client);
        } else {
          await client.end().catch(() => undefined);
          options.onLost?.(`lost the database lock: ${refusal(options.shared)}`);
          retry = setTimeout(reclaim, RETRY_MS);
        }
      },
      () => {
        if (!released) retry = setTimeout(reclaim, RETRY_MS);
      },
    );
  };

  let current = await connect();
  try {
    if (!(await tryLock(current, options.shared)))
      throw new DatabaseInUseError(refusal(options.shared));
  } catch (error) {
    await current.end().catch(() => undefined);
    throw error;
  }
  holdOn(current);

  return {
    async release() {
      released = true;
      if (retry) clearTimeout(retry);
      // Ending the session releases its advisory locks.
      await current.end().catch(() => undefined);
    },
  };
}
