/**
 * lowdb keeps read state as a cursor plus the few seqs read above it, and the cursor moves past
 * read items so the file stays small. The read-state behaviour itself (out-of-order reads,
 * mark-all, paging, the random-history model) is the conformance suite's:
 * test/store/conformance/inbox.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventRecord } from '../../server/store/store.js';
import { DATA_FILE_NAME } from '../../server/store/lowdb/index.js';
import { addUser, openTempStore, publish, type TempStore } from './tempStore.js';

describe('read cursors in the lowdb file', () => {
  let temp: TempStore;
  before(async () => {
    temp = await openTempStore();
  });
  after(() => temp.dispose());

  it('the cursor moves past read items, so the read state stays small', async () => {
    const { store } = temp;
    const author = await addUser(store, 'writer', true);
    const reader = await addUser(store, 'reader');
    await store.subscribe(reader.id);
    const posts: EventRecord[] = [];
    for (let i = 1; i <= 6; i++) posts.push((await publish(store, author, `post ${i}`)).event);
    const [p1, p2, p3, , p5] = posts as [
      EventRecord,
      EventRecord,
      EventRecord,
      EventRecord,
      EventRecord,
    ];
    await store.markRead(reader.id, [p2.id, p5.id]);
    await store.markRead(reader.id, [p1.id, p3.id]);

    // A restart folds the journal into the snapshot, which is then the whole story.
    await temp.reopen();
    const file = JSON.parse(await readFile(join(temp.dataDir, DATA_FILE_NAME), 'utf8')) as {
      readState: Record<string, { cursor: number; above: number[] }>;
    };
    assert.deepEqual(file.readState[reader.id], { cursor: p3.seq, above: [p5.seq] });
  });
});
