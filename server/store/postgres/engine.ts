/**
 * What every query module of the PostgreSQL driver shares: the pool, the newest seq this node
 * knows (latestSeq.ts), the clock, the open/closed phase, and `write()`, a mutating method's one
 * transaction. It also owns the store's lifecycle: migrations, listening for other nodes' seqs,
 * retention and the figures `stats()` reports (figures.ts).
 */
import type { StoreLifecycle } from '../store.js';
import { DEFAULT_RETENTION } from '../lowdb/index.js';
import { openDatabase, type Database, type Transaction } from './database.js';
import { toStorageError } from './errors.js';
import { eventLog, type EventLog } from './events.js';
import { createFigures, type Figures } from './figures.js';
import { createLatestSeq, type LatestSeq, type Revocation } from './latestSeq.js';
import { migrate } from './migrate.js';
import { applyRetention, type RetentionPolicy } from './retention.js';
import { warmPool } from './warmPool.js';
import { commitHoldFromEnvironment, trackWritesInFlight } from './writesInFlight.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** The clock for timestamps; tests pass their own. */
  clock?: () => Date;
  /** Pool size (DEFAULT_POOL_SIZE in database.ts). */
  maxConnections?: number;
  /**
   * A server node's store: open() opens every connection of the pool and warms it (warmPool.ts)
   * before it resolves. Admin commands, which run a statement or two, leave it off.
   */
  warmPool?: boolean;
  /** Errors nobody awaits (an idle connection dropped); logged, never fatal. */
  onBackgroundError?: (error: Error) => void;
  /** As lowdb's (DEFAULT_RETENTION): 90 days, 100,000 events. */
  retention?: Partial<RetentionPolicy>;
  /**
   * Told of every token revocation committed on this database, by this process or another (a
   * node, an admin command), so a node can drop the sockets those tokens opened.
   */
  onTokensRevoked?: (revocation: Revocation) => void;
}

export interface PostgresEngine {
  db: Database;
  latest: LatestSeq;
  figures: Figures;
  now(): string;
  /**
   * A mutating method's one transaction, timed for stats(). It resolves after COMMIT, which issues
   * the seqs of the events recorded in `events` (events.ts) and tells latestSeq() of them.
   */
  write<T>(work: (client: Transaction, events: EventLog) => Promise<T>): Promise<T>;
  lifecycle: StoreLifecycle;
}

/** Retention runs at open and then this often (it is a range delete on the oldest events). */
const RETENTION_EVERY_MS = 60 * 60 * 1000;

export function createPostgresEngine(options: PostgresStoreOptions): PostgresEngine {
  const clock = options.clock ?? (() => new Date());
  const report = (error: Error) => options.onBackgroundError?.(error);
  const db = openDatabase({
    connectionString: options.connectionString,
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    onIdleError: report,
  });
  const latest = createLatestSeq(db, options.connectionString, options.onTokensRevoked);
  const figures = createFigures(db);
  const retention: RetentionPolicy = { ...DEFAULT_RETENTION, ...options.retention };
  let phase: 'new' | 'open' | 'closed' = 'new';
  const writesInFlight = trackWritesInFlight();
  const holdCommit = commitHoldFromEnvironment(process.env.TIDINGS_TEST_HOLD_COMMITS);
  let retentionTimer: NodeJS.Timeout | undefined;

  const retain = async (): Promise<void> => {
    const dropped = await db.transaction((client) => applyRetention(client, retention, clock()));
    if (dropped > 0) figures.count({ events: -dropped });
  };

  const lifecycle: StoreLifecycle = {
    async open() {
      if (phase !== 'new') throw new Error('the store was already opened');
      try {
        await migrate(db.pool);
        await latest.start();
        await retain();
        await figures.start();
        // Last, so the node reports ready only with every connection open and warm.
        if (options.warmPool) {
          const short = await warmPool(db.pool, db.size);
          if (short) report(short);
        }
      } catch (error) {
        phase = 'closed';
        await latest.stop();
        await db.end().catch(() => undefined);
        throw toStorageError(error);
      }
      retentionTimer = setInterval(() => {
        retain().catch((error: Error) => report(error));
      }, RETENTION_EVERY_MS);
      retentionTimer.unref();
      phase = 'open';
    },

    async close() {
      if (phase !== 'open') return;
      phase = 'closed';
      figures.stop();
      if (retentionTimer) clearInterval(retentionTimer);
      await latest.stop();
      await db.end();
    },

    stats: () => figures.value(),

    // Reads see committed rows only, so nothing is in flight for them. What settling does buy
    // is latestSeq(): after it, the watermark a catch-up reads covers every seq committed before
    // the call on any node (one single-row read; when the database is down it resolves as is).
    // It also waits for this node's writes started before the call: one may be committed (its
    // seq under that watermark) and not yet resolved here, and its live push runs when it
    // resolves; the handoff from a catch-up to live pushes waits for those pushes
    // (server/realtime/syncHandoff.ts). Writes are short transactions, so that wait is too.
    settled: () =>
      Promise.all([latest.refresh().catch(() => undefined), writesInFlight.landed()]).then(
        () => undefined,
      ),
  };

  return {
    db,
    latest,
    figures,
    now: () => clock().toISOString(),
    write(work) {
      if (phase !== 'open') return Promise.reject(new Error(`the store is ${phase}, not open`));
      return writesInFlight.track(async () => {
        const started = performance.now();
        let newest = 0;
        const result = await db.transaction(async (client) => {
          const events = eventLog(client);
          const value = await work(client, events);
          newest = await events.commit();
          return value;
        });
        if (holdCommit && newest > 0) await holdCommit();
        figures.wrote(performance.now() - started);
        latest.saw(newest);
        return result;
      });
    },
    lifecycle,
  };
}
