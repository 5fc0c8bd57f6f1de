/**
 * The database must not grow with posts × subscribers: a post is one event, whoever reads it.
 */
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DATA_FILE_NAME } from '../../server/store/lowdb/index.js';
import { addUser, openTempStore, publish, type TempStore } from './tempStore.js';

let temp: TempStore | undefined;
after(() => temp?.dispose());

it('50 posts to 1,000 subscribers add 50 events, not 50,000 rows', async (t) => {
  temp = await openTempStore();
  const { store } = temp;
  const author = await addUser(store, 'author', true);
  const subscribers = await Promise.all(
    Array.from({ length: 1000 }, (_, i) => addUser(store, `subscriber${i}`)),
  );
  await Promise.all(subscribers.map((user) => store.subscribe(user.id)));
  const file = join(temp.dataDir, DATA_FILE_NAME);
  const before = (await stat(file)).size;

  for (let i = 1; i <= 50; i++) await publish(store, author, `Post number ${i}`);
  const after = (await stat(file)).size;
  const growth = after - before;

  for (const user of [subscribers[0], subscribers[499], subscribers[999]]) {
    assert.equal(await store.unreadCount(user?.id ?? ''), 50);
  }
  assert.equal(store.stats().events, 50);
  // One row per recipient would be 50,000 rows; even at a bare 30 bytes each (one id and its
  // punctuation) that is 1.5 MB. Fan-out on read stores 50 events of a few hundred bytes plus the
  // post bodies, so the growth stays under 100 KB, and the whole file (1,000 users included)
  // under 1 MB.
  assert.ok(growth < 100_000, `publishing grew the file by ${growth} bytes`);
  assert.ok(after < 1_000_000, `the file is ${after} bytes`);
  t.diagnostic(`size: ${after} bytes in all; 50 posts to 1,000 subscribers added ${growth} bytes`);
});
