/**
 * What the conformance suite needs from a driver: a way to open a fresh, empty store and to open
 * it again on the same data (a server restart), which is how "durable before resolve" is proven.
 * test/store/lowdb.conformance.test.ts is the lowdb runner; a PostgreSQL runner passes its own.
 */
import type { Store } from '../../../server/store/store.js';

export interface OpenedStore {
  store: Store;
  /**
   * Closes `store` and opens a new one on the same data, replacing `store`. Whatever a mutating
   * method resolved before must be there.
   */
  reopen(): Promise<Store>;
  /** Closes whatever is open and throws the data away. */
  cleanup(): Promise<void>;
}

export interface StoreDriver {
  /** Named in the test titles, e.g. "lowdb". */
  name: string;
  /** A fresh, empty, opened store of its own (tests never share data). */
  open(): Promise<OpenedStore>;
}

/** Runs one test's story on a fresh store of the driver's, and throws it away after, pass or fail. */
export async function withStore<T>(
  driver: StoreDriver,
  story: (opened: OpenedStore) => Promise<T>,
): Promise<T> {
  const opened = await driver.open();
  try {
    return await story(opened);
  } finally {
    await opened.cleanup();
  }
}
