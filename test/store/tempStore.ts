/**
 * Opens a real lowdb store in a throwaway directory for the store's tests, and a few one-line
 * helpers so each test reads like the story it tells.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store, UserRecord } from '../../server/store/store.js';
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

export function addUser(store: Store, username: string, isAuthor = false): Promise<UserRecord> {
  return store.createUser({ username, passwordHash: 'not-a-real-hash', isAdmin: false, isAuthor });
}

export async function publish(store: Store, author: UserRecord, title: string) {
  return store.publishPost({ authorId: author.id, title, body: `${title}, the body` });
}

/** The user's whole inbox, oldest first, as `type:title` strings that are easy to compare. */
export async function inboxOf(store: Store, user: UserRecord): Promise<string[]> {
  const entries = await store.listInbox(user.id, { afterSeq: 0, limit: 10_000 });
  return entries.map(({ event }) => `${event.type}:${event.postTitle}`);
}
