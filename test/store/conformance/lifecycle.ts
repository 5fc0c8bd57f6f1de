/**
 * StoreLifecycle and the contract's global points, for any driver: durable before resolve (proven
 * by opening the data again), one strictly increasing seq, settled() and stats().
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withStore, type StoreDriver } from './driver.js';
import { addUser, inboxOf, publish } from './helpers.js';

export function lifecycleConformance(driver: StoreDriver): void {
  describe(`${driver.name}: StoreLifecycle and the contract`, () => {
    it('an empty store: latestSeq 0, no users, registration open, settled at once', () =>
      withStore(driver, async ({ store }) => {
        assert.equal(store.latestSeq(), 0);
        assert.equal(await store.countUsers(), 0);
        assert.equal(await store.isRegistrationOpen(), true);
        await store.settled();
        const stats = store.stats();
        assert.equal(stats.users, 0);
        assert.equal(stats.posts, 0);
        assert.equal(stats.likes, 0);
        assert.equal(stats.events, 0);
      }));

    it('everything a mutating method resolved comes back when the data is opened again', () =>
      withStore(driver, async (opened) => {
        let store = opened.store;
        const author = await addUser(store, 'author', true);
        const reader = await addUser(store, 'reader');
        await store.subscribe(reader.id);
        const { post, event } = await publish(store, author, 'Kept');
        await publish(store, author, 'Also kept');
        const { post: gone } = await publish(store, author, 'Deleted');
        await store.deletePost(gone.id);
        await store.updatePost(post.id, { body: 'Edited body' });
        await store.addLike(post.id, reader.id);
        await store.markRead(reader.id, [event.id]);
        const token = await store.createToken({
          userId: reader.id,
          tokenHash: 'abc',
          device: 'laptop',
        });
        await store.createToken({ userId: reader.id, tokenHash: 'def', device: 'phone' });
        await store.revokeToken(token.id);
        await store.setAuthor(reader.id, true);
        await store.setRegistrationOpen(false);
        const latest = store.latestSeq();

        store = await opened.reopen();
        assert.equal(store.latestSeq(), latest);
        assert.equal((await store.findUserByUsername('READER'))?.id, reader.id);
        assert.equal((await store.getUser(reader.id))?.isAuthor, true);
        assert.equal(await store.findTokenByHash('abc'), undefined);
        assert.equal((await store.findTokenByHash('def'))?.userId, reader.id);
        assert.equal(await store.isRegistrationOpen(), false);
        assert.equal((await store.getPost(post.id))?.body, 'Edited body');
        assert.equal(await store.getPost(gone.id), undefined);
        assert.equal(await store.hasLiked(post.id, reader.id), true);
        assert.equal(await store.isSubscribed(reader.id), true);
        assert.deepEqual(await inboxOf(store, reader), [
          'new_post:Kept',
          'new_post:Also kept',
          'new_post:Deleted',
        ]);
        assert.equal(await store.unreadCount(reader.id), 2);
        assert.deepEqual(await inboxOf(store, author), ['post_liked:Kept']);
        const stats = store.stats();
        assert.equal(stats.users, 2);
        assert.equal(stats.posts, 2);
        assert.equal(stats.likes, 1);
        assert.equal(stats.events, 4);
        assert.ok(stats.bytes > 0);

        const { event: next } = await publish(store, author, 'After the restart');
        assert.ok(next.seq > latest, 'the seq counter carries on');
      }));

    it('seq is one global, strictly increasing counter over posts and likes, ids are unique', () =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'ana', true);
        const likers = [await addUser(store, 'ben'), await addUser(store, 'cy')];
        const events = [];
        for (let i = 0; i < 3; i++) {
          const { post, event } = await publish(store, author, `post ${i}`);
          events.push(event);
          for (const liker of likers) {
            const { event: like } = await store.addLike(post.id, liker.id);
            assert.ok(like);
            events.push(like);
          }
        }
        // Concurrent writes too: each still gets its own seq.
        const concurrent = await Promise.all(
          ['a', 'b', 'c', 'd'].map((title) => publish(store, author, title)),
        );
        events.push(...concurrent.map(({ event }) => event));
        const seqs = events.map((event) => event.seq);
        assert.equal(new Set(seqs).size, seqs.length);
        const inOrder = seqs.slice(0, 9);
        assert.deepEqual(
          inOrder,
          [...inOrder].sort((a, b) => a - b),
        );
        assert.ok(inOrder.every((seq, i) => i === 0 || seq > (inOrder[i - 1] as number)));
        assert.equal(store.latestSeq(), Math.max(...seqs));
        assert.equal(new Set(events.map((event) => event.id)).size, events.length);
      }));

    it('settled() resolves once the writes in flight are done, and never rejects', () =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'ana', true);
        const writing = publish(store, author, 'In flight');
        await store.settled();
        await writing;
        await store.settled();
        assert.equal((await store.listPosts(0, 1)).items[0]?.title, 'In flight');
      }));
  });
}
