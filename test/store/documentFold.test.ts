/**
 * The fold worker builds the next snapshot from disk with documentFold.ts, not with the store's
 * in-memory state. These stories check that both read a real store's journal the same way: the
 * snapshot the fold writes is, record for record and in the same order, what the store's own
 * replay (applyChange, applyRetention, toDocument) makes of the same files.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyChange } from '../../server/store/lowdb/changes.js';
import { DATA_FILE_NAME, JOURNAL_FILE_NAME } from '../../server/store/lowdb/index.js';
import {
  finishFold,
  foldChange,
  retainFold,
  startFold,
} from '../../server/store/lowdb/documentFold.js';
import { parseJournal } from '../../server/store/lowdb/journal.js';
import { parseDocument } from '../../server/store/lowdb/parseDocument.js';
import {
  applyRetention,
  buildState,
  toDocument,
  type RetentionPolicy,
} from '../../server/store/lowdb/state.js';
import type { Store } from '../../server/store/store.js';
import { addUser, openTempStore, publish, type TempStore } from './tempStore.js';

const temps: TempStore[] = [];
after(async () => {
  for (const temp of temps) await temp.dispose();
});

function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  assert.ok(item !== undefined, `item ${index} exists`);
  return item;
}

/** Every kind of change the store journals, with likes taken back and given again. */
async function busyHistory(store: Store): Promise<void> {
  const admin = await addUser(store, 'admin', true);
  const author = await addUser(store, 'author', true);
  const readers = [];
  for (let i = 0; i < 6; i++) readers.push(await addUser(store, `reader${i}`));
  const token = await store.createToken({
    userId: nth(readers, 0).id,
    tokenHash: 'h0',
    device: 'd',
  });
  await store.createToken({ userId: nth(readers, 1).id, tokenHash: 'h1', device: 'd' });
  await store.revokeToken(token.id);
  await store.setRegistrationOpen(false);
  await store.setAuthor(nth(readers, 5).id, true);
  for (const reader of readers) await store.subscribe(reader.id);
  const posts = [];
  for (let i = 0; i < 12; i++) {
    const by = i % 3 === 0 ? admin : author;
    posts.push((await publish(store, by, `Post ${i}`)).post);
    if (i === 4) await store.unsubscribe(nth(readers, 2).id);
    if (i === 7) await store.subscribe(nth(readers, 2).id);
  }
  for (const [index, post] of posts.entries()) {
    for (const reader of readers.slice(0, 1 + (index % readers.length))) {
      await store.addLike(post.id, reader.id);
    }
  }
  await store.addLike(nth(posts, 1).id, author.id); // the author's own like
  await store.removeLike(nth(posts, 1).id, author.id);
  await store.removeLike(nth(posts, 2).id, nth(readers, 0).id);
  await store.removeLike(nth(posts, 3).id, nth(readers, 0).id);
  await store.addLike(nth(posts, 2).id, nth(readers, 0).id); // liked again, silently
  await store.updatePost(nth(posts, 5).id, { title: 'Post 5, edited' });
  await store.deletePost(nth(posts, 6).id);
  const inbox = await store.listInbox(nth(readers, 3).id, { afterSeq: 0, limit: 100 });
  await store.markRead(
    nth(readers, 3).id,
    inbox.slice(-3).map(({ event }) => event.id),
  );
  await store.markAllRead(nth(readers, 4).id);
  await store.announce({
    actorId: admin.id,
    actorName: 'admin',
    title: 'Maintenance',
    text: 'tonight',
    audience: { kind: 'subscribers' },
  });
  const feed = await store.addFeed(
    {
      url: 'https://blog.example/feed',
      title: 'Elsewhere',
      addedBy: admin.id,
      nextPollAt: '2026-11-30T10:00:00.000Z',
    },
    ['a', 'b'],
  );
  await store.addFeed(
    {
      url: 'https://other.example/feed',
      title: 'Other',
      addedBy: admin.id,
      nextPollAt: '2026-11-30T10:00:00.000Z',
    },
    ['x'],
  );
  await store.removeFeed(feed.id);
}

/** The snapshot and journal on disk, folded both ways. */
async function foldBothWays(dataDir: string, retention: RetentionPolicy, now: Date) {
  const snapshotPath = join(dataDir, DATA_FILE_NAME);
  const journalPath = join(dataDir, JOURNAL_FILE_NAME);
  const snapshot = await readFile(snapshotPath, 'utf8');
  const commitBefore = parseDocument(snapshot, snapshotPath).commit ?? 0;
  const entries = parseJournal(await readFile(journalPath, 'utf8'), journalPath, commitBefore);
  assert.ok(entries.length > 30, 'the history is in the journal');

  const state = buildState(parseDocument(snapshot, snapshotPath));
  for (const entry of entries) for (const change of entry.changes) applyChange(state, change);
  applyRetention(state, retention, now);
  const lastCommit = nth(entries, entries.length - 1).commit;
  const byTheStore = { ...toDocument(state), commit: lastCommit };

  const fold = startFold(parseDocument(snapshot, snapshotPath));
  for (const entry of entries) for (const change of entry.changes) foldChange(fold, change);
  fold.commit = lastCommit;
  retainFold(fold, retention, now);
  return { byTheStore, byTheFold: finishFold(fold) };
}

describe('the fold from disk', () => {
  it('writes what the store itself would, record for record and in order', async () => {
    const temp = await openTempStore({ compactAtBytes: 1 << 30 });
    temps.push(temp);
    await busyHistory(temp.store);
    const { byTheStore, byTheFold } = await foldBothWays(
      temp.dataDir,
      { maxEventAgeDays: 90, maxEvents: 100_000 },
      new Date(),
    );
    assert.deepEqual(byTheFold, byTheStore);
    assert.equal(JSON.stringify(byTheFold), JSON.stringify(byTheStore), 'the same order');
  });

  it('applies retention as the store does: events, read marks and spans', async () => {
    const temp = await openTempStore({ compactAtBytes: 1 << 30 });
    temps.push(temp);
    await busyHistory(temp.store);
    const { byTheStore, byTheFold } = await foldBothWays(
      temp.dataDir,
      { maxEventAgeDays: 90, maxEvents: 7 },
      new Date(),
    );
    assert.equal(byTheFold.events.seq.length, 7);
    assert.equal(JSON.stringify(byTheFold), JSON.stringify(byTheStore));
    const aged = await foldBothWays(
      temp.dataDir,
      { maxEventAgeDays: 1, maxEvents: 100_000 },
      new Date(Date.now() + 2 * 24 * 60 * 60 * 1000),
    );
    assert.equal(aged.byTheFold.events.seq.length, 0);
    assert.equal(JSON.stringify(aged.byTheFold), JSON.stringify(aged.byTheStore));
  });
});
