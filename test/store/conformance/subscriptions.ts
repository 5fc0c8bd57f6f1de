/** SubscriptionStore and the visibility of new posts over time, for any driver. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withStore, type StoreDriver } from './driver.js';
import { addUser, inboxOf, publish } from './helpers.js';

export function subscriptionConformance(driver: StoreDriver): void {
  describe(`${driver.name}: SubscriptionStore`, () => {
    it('a subscriber sees a new post; the author and non-subscribers do not', () =>
      withStore(driver, async ({ store }) => {
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
        assert.deepEqual(await store.markRead(author.id, [event.id]), [], 'nor marks it read');
        assert.equal(await store.markAllRead(author.id), 0);
        assert.deepEqual(await inboxOf(store, bystander), []);
        assert.equal(await store.unreadCount(bystander.id), 0);
      }));

    it('a subscription starts at the moment of subscribing and unsubscribing keeps what was had', () =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'dora', true);
        const reader = await addUser(store, 'eli');
        await publish(store, author, 'Before subscribing');
        await store.subscribe(reader.id);
        assert.equal(await store.isSubscribed(reader.id), true);
        await publish(store, author, 'While subscribed');
        assert.equal(await store.unsubscribe(reader.id), true);
        assert.equal(
          await store.unsubscribe(reader.id),
          false,
          'a second unsubscribe changes nothing',
        );
        assert.equal(await store.isSubscribed(reader.id), false);
        assert.ok(!(await store.listSubscriberIds()).includes(reader.id));
        await publish(store, author, 'After unsubscribing');
        await store.subscribe(reader.id);
        assert.equal(await store.subscribe(reader.id), false, 'a second subscribe changes nothing');
        await publish(store, author, 'Subscribed again');

        assert.deepEqual(await inboxOf(store, reader), [
          'new_post:While subscribed',
          'new_post:Subscribed again',
        ]);
        assert.deepEqual(await store.listSubscriberIds(), [reader.id]);
      }));

    it('flapping (subscribe, unsubscribe, subscribe with no post between) loses and adds nothing', () =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'fay', true);
        const reader = await addUser(store, 'gus');
        assert.equal(await store.unsubscribe(reader.id), false, 'never subscribed');
        await store.subscribe(reader.id);
        await publish(store, author, 'One');
        for (let i = 0; i < 5; i++) {
          assert.equal(await store.unsubscribe(reader.id), true);
          assert.equal(await store.subscribe(reader.id), true);
        }
        await publish(store, author, 'Two');
        assert.deepEqual(await inboxOf(store, reader), ['new_post:One', 'new_post:Two']);
        assert.equal(await store.unreadCount(reader.id), 2);
      }));

    it('a like reaches its author whether or not they are subscribed', () =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'hal', true);
        const liker = await addUser(store, 'ida');
        const { post } = await publish(store, author, 'Liked');
        assert.equal(await store.isSubscribed(author.id), false);
        await store.addLike(post.id, liker.id);
        assert.deepEqual(await inboxOf(store, author), ['post_liked:Liked']);
      }));
  });
}
