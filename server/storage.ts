/**
 * Chooses and opens the store: PostgreSQL when a database URL is given, otherwise lowdb in the
 * data dir. Each comes with what guards it:
 * - lowdb: the data-dir lock (one process per data dir, servers and admin commands alike);
 * - PostgreSQL, for a server node: the database lock (postgres/nodeLock.ts): a node without Redis
 *   must be alone on its database. Admin commands take no lock there: they are short
 *   transactions beside the running nodes.
 */
import { lockDataDir } from './dataDirLock.js';
import type { Durability } from './store/lowdb/durableFile.js';
import { createLowdbStore } from './store/lowdb/index.js';
import { toStorageError } from './store/postgres/errors.js';
import type { Revocation } from './store/postgres/latestSeq.js';
import type { NodeLock } from './store/postgres/nodeLock.js';
import type { Store } from './store/store.js';

export interface StorageChoice {
  dataDir: string;
  databaseUrl: string | undefined;
  /** lowdb only: what an acknowledged change survives (PostgreSQL commits durably). */
  durability?: Durability;
}

export interface OpenedStorage {
  store: Store;
  /** 'lowdb' or 'postgres', for the start-up log line. */
  driver: 'lowdb' | 'postgres';
  /** Closes the store, then releases its lock. */
  close(): Promise<void>;
}

export interface OpenStorageOptions {
  /** A server node claims its database; admin commands do not. */
  role: 'node' | 'admin';
  /** The node shares the blog with others through Redis (the lock is then shared). */
  sharedThroughRedis?: boolean;
  /** Background problems (a dropped idle connection, a lost lock), for the log. */
  onProblem?: (message: string, error?: Error) => void;
  /**
   * PostgreSQL only: token revocations committed by any process on the database (another node,
   * an admin command), so the node drops the sockets those tokens opened.
   */
  onTokensRevoked?: (revocation: Revocation) => void;
}

export async function openStorage(
  choice: StorageChoice,
  options: OpenStorageOptions,
): Promise<OpenedStorage> {
  if (choice.databaseUrl === undefined) {
    const lock = lockDataDir(choice.dataDir);
    const store = createLowdbStore({
      dataDir: choice.dataDir,
      durability: choice.durability,
      onProblem: (message) => options.onProblem?.(message),
    });
    try {
      await store.open();
    } catch (error) {
      lock.release();
      throw error;
    }
    return {
      store,
      driver: 'lowdb',
      async close() {
        try {
          await store.close();
        } finally {
          lock.release();
        }
      },
    };
  }

  // The PostgreSQL driver and the `pg` client are loaded only here: a lowdb server never needs
  // them, and they cost it several MB resident (docs/BENCHMARKS.md, "Resident memory, fourth pass").
  const [{ createPostgresStore }, { claimDatabase }] = await Promise.all([
    import('./store/postgres/index.js'),
    import('./store/postgres/nodeLock.js'),
  ]);
  const connectionString = choice.databaseUrl;
  let lock: NodeLock | undefined;
  const store = createPostgresStore({
    connectionString,
    // A node's first requests must not each open a cold connection (postgres/warmPool.ts).
    warmPool: options.role === 'node',
    onBackgroundError: (error) => options.onProblem?.('PostgreSQL connection problem', error),
    ...(options.onTokensRevoked ? { onTokensRevoked: options.onTokensRevoked } : {}),
  });
  try {
    if (options.role === 'node') {
      lock = await claimDatabase({
        connectionString,
        shared: options.sharedThroughRedis ?? false,
        onLost: (message) => options.onProblem?.(message),
      });
    }
    await store.open();
  } catch (error) {
    await store.close().catch(() => undefined);
    await lock?.release();
    throw toStorageError(error);
  }
  return {
    store,
    driver: 'postgres',
    async close() {
      try {
        await store.close();
      } finally {
        await lock?.release();
      }
    },
  };
}
