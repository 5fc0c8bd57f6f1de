/**
 * The PostgreSQL storage driver, for several server nodes on one database (the `pg` client). It
 * keeps store.ts's contract: every mutating method is one transaction and resolves after COMMIT;
 * a failure rolls back and rejects (StorageUnavailableError when the database is the reason);
 * reads see committed rows only, so `settled()` waits for a fresh `latestSeq()` and for this node's
 * writes already started (writesInFlight.ts).
 * Nothing is held in memory but the newest seq (latestSeq.ts) and the figures `stats()` reports.
 * docs/STORAGE.md ("PostgreSQL") explains the schema, seq order and the fan-out queries.
 *
 * The driver is its engine (engine.ts: the pool, transactions, seqs, lifecycle) plus one module of
 * queries per role of the Store interface, as the lowdb driver is.
 */
import type { Store } from '../store.js';
import { accountQueries } from './accountQueries.js';
import { announcementQueries } from './announcementQueries.js';
import { createPostgresEngine, type PostgresStoreOptions } from './engine.js';
import { feedQueries } from './feedQueries.js';
import { inboxQueries } from './inboxQueries.js';
import { postQueries } from './postQueries.js';
import { subscriptionQueries } from './subscriptionQueries.js';

export type { PostgresStoreOptions } from './engine.js';

export function createPostgresStore(options: PostgresStoreOptions): Store {
  const engine = createPostgresEngine(options);
  return {
    ...engine.lifecycle,
    ...accountQueries(engine),
    ...postQueries(engine),
    ...subscriptionQueries(engine),
    ...inboxQueries(engine),
    ...announcementQueries(engine),
    ...feedQueries(engine),
  };
}
