/**
 * Who sees what: a post is one event for the subscribers, a like is one event for the author, and
 * every inbox is derived from those on read.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, inboxOf, openTempStore, publish, type TempStore } from './tempStore.js';

describe('fan-out on read', () => {
  let temp: TempStore;
  before(async () => {
    temp = await openTempStore();
  });
  after(() => temp.dispose());

  it('a subscriber sees a new post; the author and non-subscribers do not', async () => {
    const { store } = temp;
    const author = await addUser(store, 'ana', true);
    const reader = await addUser(store, 'ben');
    const bystander = await addUser(store, 'cy');
    assert.equal(await store.subscribe(reader.id), true);
    assert.equal(await store.subscribe(author.id), true);

    const { event } = await publish(store, author, 'Hello');
    assert.equal(event.type, 'new_post');
    assert.deepEqual(event.audience, { kind: 'subscribers' });

    assert.deepEqual(await inboxOf(store, reader), ['new_post:Hello']);
    assert.equal(await store.unreadCount(reader.id), 1);
    assert.deepEqual(await inboxOf(store, author), [], 'the author never sees their own post');
    assert.equal(await store.unreadCount(author.id), 0);
    assert.deepEqual(await inboxOf(store, bystander), []);
    assert.equal(await store.unreadCount(bystander.id), 0);
  });

  it('a subscription starts at the moment of subscribing and unsubscribing keeps what was had', async () => {
    const { store } = temp;
    const author = await addUser(store, 'dora', true);
    const reader = await addUser(store, 'eli');
    await publish(store, author, 'Before subscribing');
    await store.subscribe(reader.id);
    await publish(store, author, 'While subscribed');
    assert.equal(await store.unsubscribe(reader.id), true);
    assert.equal(await store.unsubscribe(reader.id), false, 'a second unsubscribe changes nothing');
    assert.equal(await store.isSubscribed(reader.id), false);
    await publish(store, author, 'After unsubscribing');
    await store.subscribe(reader.id);
    assert.equal(await store.subscribe(reader.id), false, 'a second subscribe changes nothing');
    await publish(store, author, 'Subscribed again');

    assert.deepEqual(
      (await inboxOf(store, reader)).filter((item) => item.startsWith('new_post')),
      ['new_post:While subscribed', 'new_post:Subscribed again'],
    );
    assert.ok((await store.listSubscriberIds()).includes(reader.id));
  });

  it('a like notifies the author alone, once, and never for a self-like', async () => {
    const { store } = temp;
    const author = await addUser(store, 'fay', true);
    const liker = await addUser(store, 'gus');
    const other = await addUser(store, 'hal');
    const { post } = await publish(store, author, 'Likeable');

    const first = await store.addLike(post.id, liker.id);
    assert.equal(first.created, true);
    assert.equal(first.event?.type, 'post_liked');
    assert.deepEqual(first.event?.audience, { kind: 'user', userId: author.id });
    assert.deepEqual(await store.addLike(post.id, liker.id), { created: false }, 'liking twice');

    assert.equal(await store.removeLike(post.id, liker.id), true);
    assert.equal(await store.hasLiked(post.id, liker.id), false);
    const again = await store.addLike(post.id, liker.id);
    assert.deepEqual(again, { created: true }, 'like, unlike, like again: no second notification');

    const selfLike = await store.addLike(post.id, author.id);
    assert.deepEqual(selfLike, { created: true }, 'nobody is notified of their own like');
    assert.equal(await store.likeCount(post.id), 2);

    assert.deepEqual(await inboxOf(store, author), ['post_liked:Likeable']);
    assert.deepEqual(await inboxOf(store, liker), []);
    assert.deepEqual(await inboxOf(store, other), []);
  });

  it("user B can neither see nor mark user A's notifications", async () => {
    const { store } = temp;
    const author = await addUser(store, 'ida', true);
    const alice = await addUser(store, 'alice');
    const bob = await addUser(store, 'bob');
    await store.subscribe(alice.id);
    const { post, event: postEvent } = await publish(store, author, 'For Alice');
    const { event: likeEvent } = await store.addLike(post.id, bob.id);
    assert.ok(likeEvent);

    assert.deepEqual(await store.markRead(bob.id, [postEvent.id]), [], 'not his to mark');
    assert.deepEqual(await store.markRead(alice.id, [likeEvent.id]), [], 'not hers to mark');
    assert.deepEqual(await store.markRead(bob.id, ['no-such-id']), []);
    assert.equal(await store.unreadCount(alice.id), 1);
    assert.equal(await store.unreadCount(author.id), 1);
    assert.deepEqual(await store.markRead(alice.id, [postEvent.id]), [postEvent.id]);
    assert.equal(await store.unreadCount(alice.id), 0);
    assert.equal(await store.unreadCount(author.id), 1, "Alice's read does not touch the author");
  });

  it('deleting a post deletes its likes but its notifications stay, with the title they had', async () => {
    const { store } = temp;
    const author = await addUser(store, 'jo', true);
    const reader = await addUser(store, 'kim');
    await store.subscribe(reader.id);
    const { post } = await publish(store, author, 'Original title');
    await store.addLike(post.id, reader.id);
    await store.updatePost(post.id, { title: 'Edited title' });
    assert.equal((await store.getPost(post.id))?.title, 'Edited title');

    assert.equal(await store.deletePost(post.id), true);
    assert.equal(await store.getPost(post.id), undefined);
    assert.equal(await store.likeCount(post.id), 0);
    assert.equal(await store.hasLiked(post.id, reader.id), false);
    assert.deepEqual(await store.addLike(post.id, reader.id), { created: false });
    assert.deepEqual(await inboxOf(store, reader), ['new_post:Original title']);
    assert.deepEqual(await inboxOf(store, author), ['post_liked:Original title']);
  });

  it('usernames are unique regardless of case, and tokens are found by hash until revoked', async () => {
    const { store } = temp;
    const user = await addUser(store, 'Lena');
    await assert.rejects(addUser(store, 'lena'), { name: 'ConflictError' });
    assert.equal((await store.findUserByUsername('LENA'))?.id, user.id);

    const token = await store.createToken({ userId: user.id, tokenHash: 'h1', device: 'laptop' });
    await store.createToken({ userId: user.id, tokenHash: 'h2', device: 'phone' });
    assert.equal((await store.findTokenByHash('h1'))?.id, token.id);
    assert.equal(await store.revokeToken(token.id), true);
    assert.equal(await store.findTokenByHash('h1'), undefined);
    assert.equal(await store.revokeAllTokens(user.id), 1);
    assert.equal(await store.findTokenByHash('h2'), undefined);

    assert.equal((await store.setAuthor(user.id, true))?.isAuthor, true);
    assert.equal(await store.setAuthor('nobody', true), undefined);
    await store.setRegistrationOpen(false);
    assert.equal(await store.isRegistrationOpen(), false);
  });

  it('lists posts newest first, by page', async () => {
    const temp2 = await openTempStore();
    try {
      const author = await addUser(temp2.store, 'mo', true);
      for (const title of ['one', 'two', 'three', 'four', 'five']) {
        await publish(temp2.store, author, title);
      }
      const page = await temp2.store.listPosts(1, 2);
      assert.equal(page.total, 5);
      assert.deepEqual(
        page.items.map((post) => post.title),
        ['four', 'three'],
      );
    } finally {
      await temp2.dispose();
    }
  });
});
