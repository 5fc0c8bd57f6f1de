/**
 * Retention keeps the file bounded: events past the age limit or beyond the count limit go,
 * oldest first, and read cursors keep meaning what they meant.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DATA_FILE_NAME } from '../../server/store/lowdb/index.js';
import { addUser, inboxOf, openTempStore, publish, type TempStore } from './tempStore.js';

const DAY = 24 * 60 * 60 * 1000;
const temps: TempStore[] = [];
after(async () => {
  for (const temp of temps) await temp.dispose();
});

async function fileOf(temp: TempStore) {
  const text = await readFile(join(temp.dataDir, DATA_FILE_NAME), 'utf8');
  return JSON.parse(text) as {
    events: { seq: number[] };
    readState: Record<string, { cursor: number; above: number[] }>;
    subscriptions: Record<string, unknown>;
  };
}

describe('retention', () => {
  it('drops events older than the age limit; the seq counter and read state carry on', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    // compactAtBytes 0: every commit rewrites the snapshot, so the file read below is current.
    const temp = await openTempStore({
      clock: () => new Date(now),
      retention: { maxEventAgeDays: 90 },
      compactAtBytes: 0,
    });
    temps.push(temp);
    const { store } = temp;
    const author = await addUser(store, 'author', true);
    const reader = await addUser(store, 'reader');
    await store.subscribe(reader.id);
    await publish(store, author, 'old 1');
    const { event: old2 } = await publish(store, author, 'old 2');
    await store.markRead(reader.id, [old2.id]);
    assert.deepEqual((await fileOf(temp)).readState[reader.id], { cursor: 0, above: [old2.seq] });

    now += 91 * DAY;
    const { event: fresh } = await publish(store, author, 'fresh');
    assert.equal(fresh.seq, 3, 'seqs are never reused');
    assert.deepEqual(await inboxOf(store, reader), ['new_post:fresh']);
    assert.equal(await store.unreadCount(reader.id), 1);

    const file = await fileOf(temp);
    assert.deepEqual(file.events.seq, [3]);
    assert.deepEqual(file.readState[reader.id], { cursor: 0, above: [] }, 'stale marks pruned');
    const reopened = await temp.reopen({ clock: () => new Date(now) });
    assert.equal(reopened.latestSeq(), 3);
    assert.equal(await reopened.unreadCount(reader.id), 1);
  });

  it('keeps at most maxEvents, oldest dropped first, and unread counts stay right', async () => {
    const temp = await openTempStore({ retention: { maxEvents: 5 }, compactAtBytes: 0 });
    temps.push(temp);
    const { store } = temp;
    const author = await addUser(store, 'author', true);
    const reader = await addUser(store, 'reader');
    const leaver = await addUser(store, 'leaver');
    await store.subscribe(reader.id);
    await store.subscribe(leaver.id);
    const events = [];
    for (let i = 1; i <= 3; i++) events.push((await publish(store, author, `post ${i}`)).event);
    await store.unsubscribe(leaver.id);
    assert.equal(await store.markAllRead(reader.id), 3);
    for (let i = 4; i <= 8; i++) events.push((await publish(store, author, `post ${i}`)).event);

    assert.deepEqual((await fileOf(temp)).events.seq, [4, 5, 6, 7, 8]);
    assert.equal(await store.unreadCount(reader.id), 5);
    await store.markRead(reader.id, [events[5]?.id ?? '']);
    assert.equal(await store.unreadCount(reader.id), 4);

    await publish(store, author, 'post 9');
    assert.deepEqual(await inboxOf(store, reader), [
      'new_post:post 5',
      'new_post:post 6',
      'new_post:post 7',
      'new_post:post 8',
      'new_post:post 9',
    ]);
    assert.equal(await store.unreadCount(reader.id), 4);
    const file = await fileOf(temp);
    assert.deepEqual(file.readState[reader.id], { cursor: 3, above: [6] });
    assert.equal(file.subscriptions[leaver.id], undefined, 'a span over dropped events is gone');
    assert.deepEqual(await inboxOf(store, leaver), []);
  });

  it('the file stops growing once the limit is reached', async () => {
    const temp = await openTempStore({ retention: { maxEvents: 50 }, commitWindowMs: 1 });
    temps.push(temp);
    const { store } = temp;
    const author = await addUser(store, 'author', true);
    const reader = await addUser(store, 'reader');
    const liker = await addUser(store, 'liker');
    await store.subscribe(reader.id);
    const publishAndLike = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const { post } = await publish(temp.store, author, 'same length title');
        await temp.store.addLike(post.id, liker.id);
        await temp.store.deletePost(post.id);
      }
    };
    // The journal grows until it is folded into the snapshot; a restart folds it, and the
    // snapshot is what must stay bounded.
    await publishAndLike(50);
    const atLimit = (await temp.reopen()).stats().bytes;
    await publishAndLike(150);
    const after = await temp.reopen();
    assert.equal(after.stats().events, 50);
    // Same-shaped events replace dropped ones; only digits of growing seqs add a few bytes.
    assert.ok(after.stats().bytes < atLimit * 1.1, `${after.stats().bytes} vs ${atLimit}`);
  });
});
