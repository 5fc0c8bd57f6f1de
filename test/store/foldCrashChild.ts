/**
 * The process foldCrash.test.ts kills: a lowdb store on the data directory given as argv[2],
 * folding as soon as it can (compactAtBytes 1), always in the worker, publishing posts one after another and printing
 * `ack <title>` once each is acknowledged. The test's TIDINGS_TEST_FOLD_FAULT holds the fold at
 * one step; this process goes on committing until it is killed.
 */
import { createLowdbStore } from '../../server/store/lowdb/index.js';
import { addUser, publish } from './tempStore.js';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: foldCrashChild.ts <data dir>');
const store = createLowdbStore({ dataDir, compactAtBytes: 1, foldInWorkerFromBytes: 0 });
await store.open();
const author = await addUser(store, 'author', true);
const reader = await addUser(store, 'reader');
await store.subscribe(reader.id);
process.stdout.write(`ready\n`);
for (let i = 0; i < 5_000; i++) {
  const title = `Post ${i}`;
  await publish(store, author, title);
  process.stdout.write(`ack ${title}\n`);
}
