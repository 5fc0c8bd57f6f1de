/**
 * Lookups by one key, many callers, one round trip: the keys asked for in one turn of the event
 * loop, or while the previous query is in flight, go to PostgreSQL as ONE query (`WHERE key =
 * ANY($1)`), and each caller gets its own rows back. A reconnect storm asks for thousands of
 * tokens and users within a second; one query each would queue them behind one another on the
 * pool's few connections (docs/BENCHMARKS.md, "The PostgreSQL storm, seventh pass").
 *
 * A key is never added to a query already sent: whoever asks gets a row read after they asked,
 * as with a query of their own. Only reads through the pool go here, never a transaction's.
 */

export interface BatchedLookupOptions<K, R, V> {
  /** One query for all `keys` (distinct); a key may have no row, one, or several. */
  query(keys: K[]): Promise<R[]>;
  /** Which key a row answers. */
  keyOf(row: R): K;
  /** A key's answer from its rows, in the query's order (none when it has no row). */
  toValue(rows: R[]): V;
  /** The most keys in one query; the rest wait for the next. */
  maxKeys?: number;
}

export type BatchedLookup<K, V> = (key: K) => Promise<V>;

/** Enough to empty a storm's backlog in a few round trips, small enough to plan like one key. */
export const DEFAULT_MAX_KEYS = 500;

interface Waiter<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
}

export function createBatchedLookup<K, R, V>(
  options: BatchedLookupOptions<K, R, V>,
): BatchedLookup<K, V> {
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  /** The keys not sent yet, in the order first asked, each with everyone who asked for it. */
  const pending = new Map<K, Waiter<V>[]>();
  let busy = false;

  const send = async (): Promise<void> => {
    const batch = new Map<K, Waiter<V>[]>();
    for (const [key, waiters] of pending) {
      if (batch.size === maxKeys) break;
      batch.set(key, waiters);
    }
    for (const key of batch.keys()) pending.delete(key);
    try {
      const rowsOf = new Map<K, R[]>();
      for (const row of await options.query([...batch.keys()])) {
        const key = options.keyOf(row);
        const rows = rowsOf.get(key);
        if (rows) rows.push(row);
        else rowsOf.set(key, [row]);
      }
      for (const [key, waiters] of batch) {
        const value = options.toValue(rowsOf.get(key) ?? []);
        for (const waiter of waiters) waiter.resolve(value);
      }
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
    }
  };

  /** Sends what is pending, one query at a time, until nothing is. */
  const drain = async (): Promise<void> => {
    while (pending.size > 0) await send();
    busy = false;
  };

  return (key) =>
    new Promise<V>((resolve, reject) => {
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
      if (busy) return;
      busy = true;
      // The rest of this turn's callers (every handshake read in one poll of the sockets) join.
      setImmediate(() => void drain());
    });
}
