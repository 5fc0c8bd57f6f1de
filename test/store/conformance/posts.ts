/** PostStore: posts, likes, and the one event each records, for any driver. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withStore, type StoreDriver } from './driver.js';
import { addUser, inboxOf, publish } from './helpers.js';

export function postConformance(driver: StoreDriver): void {
  describe(`${driver.name}: PostStore`, () => {
    it('publishing stores the post and ONE new_post event addressed to the subscribers', () =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'ana', true);
        const { post, event } = await store.publishPost({
          authorId: author.id,
          title: 'Hello',
          body: 'The body',
        });
        assert.equal(post.title, 'Hello');
        assert.equal(post.body, 'The body');
        assert.equal(post.authorId, author.id);
        assert.equal(post.createdAt, post.updatedAt);
        assert.deepEqual(await store.getPost(post.id), post);
        assert.equal(event.type, 'new_post');
        assert.deepEqual(event.audience, { kind: 'subscribers' });
        assert.equal(event.actorId, author.id);
        assert.equal(event.actorName, 'ana');
        assert.equal(event.postId, post.id);
        assert.equal(event.postTitle, 'Hello');
        assert.equal(event.seq, store.latestSeq());
        assert.equal(store.stats().events, 1, 'one event, not one per recipient');
        assert.equal(await store.getPost('no-such-id'), undefined);
      }));

    it('lists posts newest first, by page, with the total', () =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'mo', true);
        for (const title of ['one', 'two', 'three', 'four', 'five']) {
          await publish(store, author, title);
        }
        const page = await store.listPosts(1, 2);
        assert.equal(page.total, 5);
        assert.deepEqual(
          page.items.map((post) => post.title),
          ['four', 'three'],
        );
        const last = await store.listPosts(4, 10);
        assert.deepEqual(
          last.items.map((post) => post.title),
          ['one'],
        );
        assert.deepEqual((await store.listPosts(5, 10)).items, []);
      }));

    it('updating a post changes its title and body; an unknown post is undefined', () =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'jo', true);
        const { post } = await publish(store, author, 'Original title');
        const updated = await store.updatePost(post.id, { title: 'Edited title' });
        assert.equal(updated?.title, 'Edited title');
        assert.equal(updated?.body, post.body, 'what the patch leaves out stays');
        assert.equal((await store.getPost(post.id))?.title, 'Edited title');
        assert.equal((await store.updatePost(post.id, { body: 'New body' }))?.body, 'New body');
        assert.equal(await store.updatePost('no-such-id', { title: 'x' }), undefined);
      }));

    it('a post keeps the excerpt it was published with until an edit brings another', () =>
      withStore(driver, async (opened) => {
        const author = await addUser(opened.store, 'jo', true);
        const { post } = await opened.store.publishPost({
          authorId: author.id,
          title: 'With an excerpt',
          body: '**Long** body',
          excerpt: 'Long body',
        });
        assert.equal(post.excerpt, 'Long body');
        assert.equal((await opened.store.listPosts(0, 10)).items[0]?.excerpt, 'Long body');
        const retitled = await opened.store.updatePost(post.id, { title: 'Retitled' });
        assert.equal(retitled?.excerpt, 'Long body', 'a patch without one keeps it');
        await opened.store.updatePost(post.id, { body: 'Short', excerpt: 'Short' });
        const store = await opened.reopen();
        assert.equal((await store.getPost(post.id))?.excerpt, 'Short', 'durable');
        const { post: bare } = await publish(store, author, 'Without one');
        assert.equal(bare.excerpt, undefined, 'optional: posts from before excerpts have none');
      }));

    it('a like notifies the author alone, once, and never for a self-like', () =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'fay', true);
        const liker = await addUser(store, 'gus');
        const other = await addUser(store, 'hal');
        const { post } = await publish(store, author, 'Likeable');

        const first = await store.addLike(post.id, liker.id);
        assert.equal(first.created, true);
        assert.equal(first.event?.type, 'post_liked');
        assert.deepEqual(first.event?.audience, { kind: 'user', userId: author.id });
        assert.equal(first.event?.actorName, 'gus');
        assert.equal(first.event?.postTitle, 'Likeable');
        assert.equal(await store.hasLiked(post.id, liker.id), true);
        assert.deepEqual(
          await store.addLike(post.id, liker.id),
          { created: false },
          'liking twice',
        );
        assert.equal(await store.likeCount(post.id), 1, 'one like per user and post');

        assert.equal(await store.removeLike(post.id, liker.id), true);
        assert.equal(await store.removeLike(post.id, liker.id), false, 'unliking twice');
        assert.equal(await store.hasLiked(post.id, liker.id), false);
        assert.equal(await store.likeCount(post.id), 0);
        const again = await store.addLike(post.id, liker.id);
        assert.deepEqual(
          again,
          { created: true },
          'like, unlike, like again: no second notification',
        );

        const selfLike = await store.addLike(post.id, author.id);
        assert.deepEqual(selfLike, { created: true }, 'nobody is notified of their own like');
        assert.equal(await store.likeCount(post.id), 2);

        assert.deepEqual(await inboxOf(store, author), ['post_liked:Likeable']);
        assert.deepEqual(await inboxOf(store, liker), []);
        assert.deepEqual(await inboxOf(store, other), []);
        assert.deepEqual(await store.addLike('no-such-id', liker.id), { created: false });
      }));

    it('deleting a post deletes its likes but its notifications stay, with the title they had', () =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'jo', true);
        const reader = await addUser(store, 'kim');
        await store.subscribe(reader.id);
        const { post } = await publish(store, author, 'Original title');
        await store.addLike(post.id, reader.id);
        await store.updatePost(post.id, { title: 'Edited title' });
        assert.equal((await store.getPost(post.id))?.title, 'Edited title');

        assert.equal(await store.deletePost(post.id), true);
        assert.equal(await store.deletePost(post.id), false, 'deleting twice');
        assert.equal(await store.getPost(post.id), undefined);
        assert.equal((await store.listPosts(0, 10)).total, 0);
        assert.equal(await store.likeCount(post.id), 0);
        assert.equal(await store.hasLiked(post.id, reader.id), false);
        assert.deepEqual(await store.addLike(post.id, reader.id), { created: false });
        assert.deepEqual(await inboxOf(store, reader), ['new_post:Original title']);
        assert.deepEqual(await inboxOf(store, author), ['post_liked:Original title']);
      }));
  });
}
