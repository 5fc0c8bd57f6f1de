/**
 * The default storage driver: a JSON snapshot written through lowdb plus an append-only journal
 * of changes (one line per group commit), with every query answered from in-memory indexes.
 * docs/STORAGE.md explains the data model, the journal, group commit, durability and retention;
 * store.ts states the contract every driver keeps.
 *
 * The driver is its commit engine (commitEngine.ts: memory, journal, snapshot, settled) plus one
 * module of queries per role of the Store interface.
 */
import type { Store } from '../store.js';
import { accountQueries } from './accountQueries.js';
import { announcementQueries } from './announcementQueries.js';
import { createCommitEngine, type LowdbStoreOptions } from './commitEngine.js';
import { feedQueries } from './feedQueries.js';
import { inboxQueries } from './inboxQueries.js';
import { postQueries } from './postQueries.js';
import type { FoldStats } from './snapshotFolds.js';
import { subscriptionQueries } from './subscriptionQueries.js';

export {
  BACKUP_FILE_NAME,
  DATA_FILE_NAME,
  DEFAULT_RETENTION,
  type LowdbStoreOptions,
} from './commitEngine.js';
export { JOURNAL_FILE_NAME, JOURNAL_IDLE_CLOSE_MS } from './journal.js';

/** The Store, plus what only this driver has: its journal folds, for tests and the bench. */
export interface LowdbStore extends Store {
  /** Resolves once no journal fold is running. */
  foldsIdle(): Promise<void>;
  foldStats(): FoldStats;
}

export function createLowdbStore(options: LowdbStoreOptions): LowdbStore {
  const engine = createCommitEngine(options);
  return {
    foldsIdle: engine.foldsIdle,
    foldStats: engine.foldStats,
    ...engine.lifecycle,
    ...accountQueries(engine),
    ...postQueries(engine),
    ...subscriptionQueries(engine),
    ...inboxQueries(engine),
    ...announcementQueries(engine),
    ...feedQueries(engine),
  };
}
