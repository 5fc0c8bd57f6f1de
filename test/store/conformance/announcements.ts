/** AnnouncementStore: one event per announcement, to the subscribers or to one user, for any driver. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withStore, type StoreDriver } from './driver.js';
import { addUser, inboxOf } from './helpers.js';

export function announcementConformance(driver: StoreDriver): void {
  describe(`${driver.name}: AnnouncementStore`, () => {
    it('an announcement to the subscribers is ONE event the subscribers see, not its sender', () =>
      withStore(driver, async (opened) => {
        const admin = await addUser(opened.store, 'root');
        const [ben, cy, dee] = [
          await addUser(opened.store, 'ben'),
          await addUser(opened.store, 'cy'),
          await addUser(opened.store, 'dee'),
        ];
        await opened.store.subscribe(admin.id);
        await opened.store.subscribe(ben.id);
        await opened.store.subscribe(cy.id);
        const event = await opened.store.announce({
          actorId: admin.id,
          actorName: 'root',
          title: 'Maintenance tonight',
          text: 'From 22:00.',
          url: 'https://blog.example/status',
          audience: { kind: 'subscribers' },
        });
        assert.equal(event.type, 'announcement');
        assert.equal(event.postTitle, 'Maintenance tonight');
        assert.equal(event.text, 'From 22:00.');
        assert.equal(event.url, 'https://blog.example/status');
        assert.equal(opened.store.stats().events, 1, 'stored once, not per recipient');
        const store = await opened.reopen();
        assert.deepEqual(await inboxOf(store, ben), ['announcement:Maintenance tonight']);
        assert.deepEqual(await inboxOf(store, cy), ['announcement:Maintenance tonight']);
        assert.deepEqual(await inboxOf(store, dee), [], 'not subscribed');
        assert.deepEqual(await inboxOf(store, admin), [], 'the sender is not notified');
        assert.equal(await store.unreadCount(ben.id), 1);
        const [entry] = await store.listInbox(ben.id, { limit: 10 });
        assert.deepEqual(entry?.event, event);
      }));

    it('an announcement to one user reaches that user alone, subscribed or not', () =>
      withStore(driver, async ({ store }) => {
        const admin = await addUser(store, 'root');
        const ben = await addUser(store, 'ben');
        const cy = await addUser(store, 'cy');
        await store.subscribe(cy.id);
        const event = await store.announce({
          actorId: admin.id,
          actorName: 'root',
          title: 'Just for you',
          audience: { kind: 'user', userId: ben.id },
        });
        assert.equal(event.text, undefined);
        assert.equal(event.url, undefined);
        assert.deepEqual(await inboxOf(store, ben), ['announcement:Just for you']);
        assert.deepEqual(await inboxOf(store, cy), []);
        assert.deepEqual(await store.markRead(ben.id, [event.id]), [event.id]);
        assert.equal(await store.unreadCount(ben.id), 0);
      }));
  });
}
