/**
 * FeedStore: followed feeds, one claim at a time, and every entry a post exactly once (across
 * repeats, re-orderings, restarts), for any driver.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SEEN_KEYS_MAX, type FeedPollUpdate, type Store } from '../../../server/store/store.js';
import { withStore, type StoreDriver } from './driver.js';
import { addUser, feedEntry as entry, inboxOf } from './helpers.js';

const T0 = '2026-11-30T10:00:00.000Z';
const LATER = '2026-11-30T10:15:00.000Z';

const polled = (overrides: Partial<FeedPollUpdate> = {}): FeedPollUpdate => ({
  title: 'Elsewhere',
  status: 'ok',
  failures: 0,
  nextPollAt: LATER,
  lastPolledAt: T0,
  ...overrides,
});

async function follow(store: Store, addedBy: string, seen: string[] = []) {
  return store.addFeed(
    { url: 'https://blog.example/feed', title: 'Elsewhere', addedBy, nextPollAt: T0 },
    seen,
  );
}

export function feedConformance(driver: StoreDriver): void {
  describe(`${driver.name}: FeedStore`, () => {
    it('follows a feed once per URL, lists it, and stops following it', () =>
      withStore(driver, async (opened) => {
        const admin = await addUser(opened.store, 'root');
        const feed = await follow(opened.store, admin.id);
        assert.equal(feed.status, 'ok');
        assert.equal(feed.failures, 0);
        assert.equal(feed.title, 'Elsewhere');
        await assert.rejects(follow(opened.store, admin.id), { name: 'ConflictError' });
        const store = await opened.reopen();
        assert.deepEqual(await store.listFeeds(), [feed]);
        assert.deepEqual(await store.getFeed(feed.id), feed);
        assert.equal(await store.removeFeed(feed.id), true);
        assert.equal(await store.removeFeed(feed.id), false);
        assert.deepEqual(await store.listFeeds(), []);
      }));

    it('entries seen when the feed was added never become posts; each later one becomes exactly one', () =>
      withStore(driver, async (opened) => {
        const admin = await addUser(opened.store, 'root');
        const reader = await addUser(opened.store, 'ben');
        await opened.store.subscribe(reader.id);
        const feed = await follow(opened.store, admin.id, ['a', 'b']);
        const first = await opened.store.recordPoll(feed.id, polled(), [
          entry('c'),
          entry('b'),
          entry('a'),
        ]);
        assert.deepEqual(
          first?.map(({ post }) => post.title),
          ['Entry c'],
        );
        const [published] = first ?? [];
        assert.deepEqual(published?.post.source, {
          feedId: feed.id,
          feedTitle: 'Elsewhere',
          url: 'https://blog.example/c',
        });
        assert.equal(published?.post.authorId, admin.id);
        assert.equal(published?.event.type, 'new_post');
        assert.equal(published?.event.url, 'https://blog.example/c', 'the original article');
        assert.equal(published?.event.actorName, 'Elsewhere');
        // Re-ordered, repeated within one poll, and after a restart: nothing new.
        const store = await opened.reopen();
        assert.deepEqual(
          await store.recordPoll(feed.id, polled(), [entry('a'), entry('c'), entry('c')]),
          [],
        );
        // The feed dropped old items and gained one: only that one.
        const next = await store.recordPoll(feed.id, polled(), [entry('d'), entry('d')]);
        assert.deepEqual(
          next?.map(({ post }) => post.title),
          ['Entry d'],
        );
        assert.deepEqual(await inboxOf(store, reader), ['new_post:Entry c', 'new_post:Entry d']);
        assert.equal(await store.recordPoll('no-such-feed', polled(), [entry('x')]), undefined);
      }));

    it('each feed remembers only its newest SEEN_KEYS_MAX keys, so what it keeps stays bounded', () =>
      withStore(driver, async (opened) => {
        const admin = await addUser(opened.store, 'root');
        const keys = Array.from({ length: SEEN_KEYS_MAX }, (_, index) => `k${index}`);
        const feed = await follow(opened.store, admin.id, keys);
        const titles = async (store: Store, ...polledKeys: string[]) =>
          (await store.recordPoll(feed.id, polled(), polledKeys.map(entry)))?.map(
            ({ post }) => post.title,
          );
        // One more key than the bound: the oldest one is forgotten.
        assert.deepEqual(await titles(opened.store, 'new'), ['Entry new']);
        const store = await opened.reopen();
        assert.deepEqual(await titles(store, 'k1', `k${SEEN_KEYS_MAX - 1}`, 'new'), []);
        assert.deepEqual(await titles(store, 'k0'), ['Entry k0'], 'the oldest key was forgotten');
      }));

    it('records the poll state, and a failure keeps the reason until a success', () =>
      withStore(driver, async (opened) => {
        const admin = await addUser(opened.store, 'root');
        const feed = await follow(opened.store, admin.id);
        await opened.store.recordPoll(
          feed.id,
          polled({ status: 'failing', failures: 1, lastError: 'the server answered 500' }),
          [],
        );
        const store = await opened.reopen();
        const failing = await store.getFeed(feed.id);
        assert.equal(failing?.status, 'failing');
        assert.equal(failing?.lastError, 'the server answered 500');
        assert.equal(failing?.failures, 1);
        await store.recordPoll(feed.id, polled({ etag: '"v2"', lastModified: 'Mon, 30 Nov' }), []);
        const ok = await store.getFeed(feed.id);
        assert.equal(ok?.status, 'ok');
        assert.equal(ok?.lastError, undefined);
        assert.equal(ok?.etag, '"v2"');
        assert.equal(ok?.lastModified, 'Mon, 30 Nov');
        assert.equal(ok?.nextPollAt, LATER);
      }));

    it('one claim at a time: a claimed feed is not due and cannot be claimed until it expires or is released', () =>
      withStore(driver, async ({ store }) => {
        const admin = await addUser(store, 'root');
        const feed = await follow(store, admin.id);
        assert.deepEqual(
          (await store.listDueFeeds(T0, 10)).map((due) => due.id),
          [feed.id],
        );
        const until = '2026-11-30T10:01:00.000Z';
        assert.ok(await store.claimFeed(feed.id, T0, until));
        assert.equal(await store.claimFeed(feed.id, T0, until), undefined, 'already claimed');
        assert.deepEqual(await store.listDueFeeds(T0, 10), []);
        // The claimer crashed: the claim expires by itself.
        assert.ok(await store.claimFeed(feed.id, until, '2026-11-30T10:02:00.000Z'));
        // A recorded poll releases it; the feed is due again at its next poll time.
        await store.recordPoll(feed.id, polled(), []);
        assert.deepEqual(await store.listDueFeeds(T0, 10), []);
        assert.deepEqual(
          (await store.listDueFeeds(LATER, 10)).map((due) => due.id),
          [feed.id],
        );
        assert.ok(await store.claimFeed(feed.id, LATER, '2026-11-30T10:16:00.000Z'));
        assert.equal(await store.claimFeed('no-such-feed', T0, until), undefined);
      }));
  });
}
