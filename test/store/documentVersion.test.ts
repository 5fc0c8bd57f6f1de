/**
 * The data file's format moves on (version 2 holds the events column-wise, version 3 their times
 * as epoch ms, their ids in one string and the likers as positions in `users`; issue 14) without
 * leaving a blog behind: a version 1 or 2 file, as servers before wrote it, opens with everything
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

/** A version 2 file as servers from issue 14 to version 3 wrote it. */
const VERSION_2 = {
  ...VERSION_1,
  version: 2,
  users: [...VERSION_1.users, user('reader-2', 'cat', false), user('reader-3', 'dan', false)],
  likes: { 'post-1': ['reader-1', 'gone-1'] },
  notifiedUnlikes: { 'post-1': ['reader-2', 'reader-3'] },
  events: {
    strings: ['author-1', 'post-1', 'Hello', 'ann', 'reader-1', 'bob', '', 'Maintenance'],
    seq: [1, 3, 4],
    id: ['event-01', 'event-03', 'event-04'],
    type: [0, 1, 2],
    createdAt: [AT, '2026-11-01T10:05:00Z', '2026-11-01T10:06:00.123456Z'],
    audience: [-1, 0, -1],
    actor: [0, 4, 0],
    post: [1, 1, 6],
    postTitle: [2, 2, 7],
    actorName: [3, 5, 3],
    extras: [[4, { url: 'https://example.org/status', text: 'Down at noon' }]],
  },
};

type Version3 = {
  version: number;
  likes: Record<string, (number | string)[]>;
  notifiedUnlikes: Record<string, (number | string)[]>;
  events: {
    seq: number[];
    id: string | string[];
    idWidth?: number;
    createdAt: number[];
    extras: [number, Record<string, string>][];
  };
};

/** A data directory holding this file, and the store opened on it. */
async function openFile(document: object): Promise<{ file: string; temp: TempStore }> {
  const dataDir = await makeDataDir();
  const file = join(dataDir, DATA_FILE_NAME);
  await writeFile(file, JSON.stringify(document));
  const temp = await openTempStore({ dataDir });
  temps.push(temp);
  return { file, temp };
}

const everything = async (store: Store, userId: string): Promise<InboxEntry[]> =>
  store.listInbox(userId, { afterSeq: 0, limit: 100 });

describe('data file versions', () => {
  it('a version 1 file opens with every record, and the next snapshot is the current version', async () => {
    const { file, temp } = await openFile(VERSION_1);
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
    const written = JSON.parse(await readFile(file, 'utf8')) as Version3;
    assert.equal(written.version, DOCUMENT_VERSION);
    assert.deepEqual(written.events.seq, [1, 3, 4]);
    assert.deepEqual(written.events.createdAt, [AT, '2026-11-01T10:05:00Z', AT].map(Date.parse));
    assert.deepEqual(written.events.extras[0], [3, { createdAt: '2026-11-01T10:05:00Z' }]);

    const reopened = await temp.reopen();
    assert.deepEqual(await everything(reopened, 'reader-1'), [
      { event: newPost, read: true },
      { event: announcement, read: false },
    ]);
    assert.deepEqual(await everything(reopened, 'author-1'), [{ event: liked, read: true }]);
  });

  it('a version 2 file opens with every field as written, and its version 3 snapshot too', async () => {
    const { file, temp } = await openFile(VERSION_2);
    const [newPost, liked, announcement] = VERSION_1.events;
    // The same events as VERSION_1's, with version 2's ids and times: one not as toISOString
    // writes it (no ms), one of a precision finer than ms.
    const expected = {
      newPost: { ...newPost, id: 'event-01' },
      liked: { ...liked, id: 'event-03' },
      announcement: { ...announcement, id: 'event-04', createdAt: '2026-11-01T10:06:00.123456Z' },
    };

    const check = async (store: Store, afterChanges: boolean) => {
      assert.deepEqual(await everything(store, 'reader-1'), [
        { event: expected.newPost, read: true },
        { event: expected.announcement, read: false },
      ]);
      assert.deepEqual(await everything(store, 'author-1'), [
        { event: expected.liked, read: afterChanges },
      ]);
      assert.equal(await store.likeCount('post-1'), afterChanges ? 3 : 2);
      assert.equal(await store.hasLiked('post-1', 'reader-1'), true);
      assert.equal(await store.hasLiked('post-1', 'gone-1'), true, 'a liker who is not a user');
      assert.equal(store.latestSeq(), 4);
    };
    await check(temp.store, false);
    // Liking again after a notified unlike stays silent: notifiedUnlikes came through.
    const again = await temp.store.addLike('post-1', 'reader-2');
    assert.equal(again.created, true);
    assert.equal(again.event, undefined);
    assert.deepEqual(await temp.store.markRead('author-1', ['event-03']), ['event-03']);

    await temp.store.close();
    const written = JSON.parse(await readFile(file, 'utf8')) as Version3;
    assert.equal(written.version, DOCUMENT_VERSION);
    assert.deepEqual(written.likes, { 'post-1': [1, 'gone-1', 2] }, 'users by position');
    assert.deepEqual(written.notifiedUnlikes, { 'post-1': [3] });
    assert.equal(written.events.id, 'event-01event-03event-04');
    assert.equal(written.events.idWidth, 8);
    assert.deepEqual(
      written.events.createdAt,
      [AT, '2026-11-01T10:05:00Z', '2026-11-01T10:06:00.123Z'].map(Date.parse),
    );
    assert.deepEqual(written.events.extras, [
      [3, { createdAt: '2026-11-01T10:05:00Z' }],
      [
        4,
        {
          url: 'https://example.org/status',
          text: 'Down at noon',
          createdAt: '2026-11-01T10:06:00.123456Z',
        },
      ],
    ]);

    const reopened = await temp.reopen();
    await check(reopened, true);
    assert.equal(await reopened.hasLiked('post-1', 'reader-2'), true);
    // Written again by this version from a version 3 file: the same bytes' meaning, unchanged.
    await reopened.markRead('reader-1', ['event-04']);
    await reopened.close();
    const rewritten = JSON.parse(await readFile(file, 'utf8')) as Version3;
    assert.deepEqual(
      { ...rewritten, readState: undefined, commit: undefined },
      { ...written, readState: undefined, commit: undefined },
    );
  });
});
