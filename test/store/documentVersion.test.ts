/**
 * The data file's format moves on (version 2 holds the events column-wise, issue 14) without
 * leaving a blog behind: a version 1 file, as servers before it wrote it, opens with everything
 * in it, and the next snapshot is written in the current version, which opens the same again.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DATA_FILE_NAME } from '../../server/store/lowdb/index.js';
import { DOCUMENT_VERSION } from '../../server/store/lowdb/document.js';
import type { InboxEntry, Store } from '../../server/store/store.js';
import { makeDataDir, openTempStore, type TempStore } from './tempStore.js';

const temps: TempStore[] = [];
after(async () => {
  for (const temp of temps) await temp.dispose();
});

const AT = '2026-11-01T10:00:00.000Z';
const user = (id: string, username: string, isAuthor: boolean) => ({
  id,
  username,
  passwordHash: 'scrypt$x$y',
  isAdmin: false,
  isAuthor,
  createdAt: AT,
});

/** A version 1 file as a server before issue 14 wrote it: events one object each. */
const VERSION_1 = {
  version: 1,
  settings: { registrationOpen: true },
  latestSeq: 4,
  commit: 7,
  users: [user('author-1', 'ann', true), user('reader-1', 'bob', false)],
  tokens: [],
  posts: [
    {
      id: 'post-1',
      authorId: 'author-1',
      title: 'Hello',
      body: 'First post',
      createdAt: AT,
      updatedAt: AT,
    },
  ],
  likes: { 'post-1': ['reader-1'] },
  notifiedUnlikes: {},
  subscriptions: { 'reader-1': [[0, null]] },
  events: [
    {
      seq: 1,
      id: 'event-1',
      type: 'new_post',
      createdAt: AT,
      audience: { kind: 'subscribers' },
      actorId: 'author-1',
      postId: 'post-1',
      postTitle: 'Hello',
      actorName: 'ann',
    },
    {
      seq: 3,
      id: 'event-3',
      type: 'post_liked',
      createdAt: '2026-11-01T10:05:00Z',
      audience: { kind: 'user', userId: 'author-1' },
      actorId: 'reader-1',
      postId: 'post-1',
      postTitle: 'Hello',
      actorName: 'bob',
    },
    {
      seq: 4,
      id: 'event-4',
      type: 'announcement',
      createdAt: AT,
      audience: { kind: 'subscribers' },
      actorId: 'author-1',
      postId: '',
      postTitle: 'Maintenance',
      actorName: 'ann',
      url: 'https://example.org/status',
      text: 'Down at noon',
    },
  ],
  readState: { 'reader-1': { cursor: 1, above: [] } },
};

const everything = async (store: Store, userId: string): Promise<InboxEntry[]> =>
  store.listInbox(userId, { afterSeq: 0, limit: 100 });

describe('data file versions', () => {
  it('a version 1 file opens with every record, and the next snapshot is the current version', async () => {
    const dataDir = await makeDataDir();
    const file = join(dataDir, DATA_FILE_NAME);
    await writeFile(file, JSON.stringify(VERSION_1));
    const temp = await openTempStore({ dataDir });
    temps.push(temp);
    const [newPost, liked, announcement] = VERSION_1.events;

    const check = async (store: Store) => {
      assert.deepEqual(await everything(store, 'reader-1'), [
        { event: newPost, read: true },
        { event: announcement, read: false },
      ]);
      assert.deepEqual(await everything(store, 'author-1'), [{ event: liked, read: false }]);
      assert.equal(await store.unreadCount('reader-1'), 1);
      assert.equal(await store.likeCount('post-1'), 1);
      assert.equal(await store.hasLiked('post-1', 'reader-1'), true);
      assert.equal(store.latestSeq(), 4);
      assert.deepEqual(await store.markRead('author-1', ['event-3']), ['event-3']);
    };
    await check(temp.store);

    // A change goes to the journal; closing folds it into a snapshot of the current version.
    await temp.store.close();
    const written = JSON.parse(await readFile(file, 'utf8')) as {
      version: number;
      events: { seq: number[]; createdAt: string[] };
    };
    assert.equal(written.version, DOCUMENT_VERSION);
    assert.deepEqual(written.events.seq, [1, 3, 4]);
    assert.deepEqual(
      written.events.createdAt,
      [AT, '2026-11-01T10:05:00Z', AT],
      'times kept as written',
    );

    const reopened = await temp.reopen();
    assert.deepEqual(await everything(reopened, 'reader-1'), [
      { event: newPost, read: true },
      { event: announcement, read: false },
    ]);
    assert.deepEqual(await everything(reopened, 'author-1'), [{ event: liked, read: true }]);
  });
});
