/**
 * Opens a real lowdb store in a throwaway directory for the store's tests. The one-line story
 * helpers are the conformance suite's, re-exported here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../server/store/store.js';
import { createLowdbStore, type LowdbStoreOptions } from '../../server/store/lowdb/index.js';

export interface TempStore {
  store: Store;
  dataDir: string;
  /** Closes the store and opens a new one on the same directory (a server restart). */
  reopen(options?: Partial<LowdbStoreOptions>): Promise<Store>;
  /** Closes whatever is open and removes the directory. */
  dispose(): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tidings-store-'));
}

export async function openTempStore(options: Partial<LowdbStoreOptions> = {}): Promise<TempStore> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const opened: Store[] = [];
  const open = async (more: Partial<LowdbStoreOptions> = {}): Promise<Store> => {
    const store = createLowdbStore({ ...options, ...more, dataDir });
    await store.open();
    opened.push(store);
    return store;
  };
  const temp: TempStore = {
    store: await open(),
    dataDir,
    async reopen(more) {
      await temp.store.close();
      temp.store = await open(more);
      return temp.store;
    },
    async dispose() {
      for (const store of opened) await store.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return temp;
}

export { addUser, inboxOf, publish } from './conformance/helpers.js';
