/**
 * The inbox shares the NotificationItems of recent events between readers (issue 14,
 * server/domain/notificationItemCache.ts): each must be exactly what toNotificationItem builds
 * for that reader's read flag, frozen since it is shared, and the cache holds a bounded number
 * of events, the oldest going first.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NotificationItem } from '../../contract/wire.js';
import {
  CACHED_EVENTS,
  createNotificationItems,
} from '../../server/domain/notificationItemCache.js';
import { toNotificationItem } from '../../server/domain/notificationItems.js';
import type { EventRecord } from '../../server/store/store.js';

const PUBLIC_URL = 'https://blog.example.com/tidings/';

function event(seq: number, more: Partial<EventRecord> = {}): EventRecord {
  return {
    seq,
    id: `e${seq}`,
    type: 'new_post',
    createdAt: '2026-12-01T00:00:00.000Z',
    audience: { kind: 'subscribers' },
    actorId: 'ana',
    postId: `p${seq}`,
    postTitle: `Post “${seq}”`,
    actorName: 'Ana',
    ...more,
  };
}

const KINDS: EventRecord[] = [
  event(1),
  event(2, { type: 'post_liked', audience: { kind: 'user', userId: 'ben' } }),
  event(3, { postId: 'imported', url: 'https://elsewhere.example/article' }),
  event(4, { type: 'announcement', postId: '', postTitle: 'Maintenance', text: 'Down at 9' }),
  event(5, { type: 'announcement', postId: '', postTitle: 'Read this', url: 'https://x.example/' }),
  event(6, {
    type: 'announcement',
    postId: '',
    postTitle: 'Plain',
    audience: { kind: 'user', userId: 'ben' },
  }),
];

function assertFrozen(item: NotificationItem): void {
  assert.ok(Object.isFrozen(item), 'the item');
  assert.ok(Object.isFrozen(item.actor), 'its actor');
  assert.ok(Object.isFrozen(item.type === 'announcement' ? item.announcement : item.post));
}

it('gives each reader what toNotificationItem builds for its read flag, shared and frozen', () => {
  const itemOf = createNotificationItems(PUBLIC_URL);
  for (const stored of KINDS) {
    // Each read builds a new record, as the lowdb store does: the cache must not need the same one.
    const unread = itemOf({ event: { ...stored }, read: false });
    const read = itemOf({ event: { ...stored }, read: true });
    assert.deepEqual(unread, toNotificationItem(PUBLIC_URL, { event: stored, read: false }));
    assert.deepEqual(read, toNotificationItem(PUBLIC_URL, { event: stored, read: true }));
    assert.equal(itemOf({ event: { ...stored }, read: false }), unread, 'shared between readers');
    assert.equal(itemOf({ event: { ...stored }, read: true }), read);
    assertFrozen(unread);
    assertFrozen(read);
  }
});

it('builds items with its own public URL', () => {
  const other = 'http://127.0.0.1:4300';
  const [first] = KINDS;
  assert.ok(first);
  createNotificationItems(PUBLIC_URL)({ event: first, read: false });
  assert.deepEqual(
    createNotificationItems(other)({ event: first, read: false }),
    toNotificationItem(other, { event: first, read: false }),
  );
});

it(`keeps the items of ${CACHED_EVENTS} events at most, the oldest going first`, () => {
  const itemOf = createNotificationItems(PUBLIC_URL);
  const first = itemOf({ event: event(1), read: false });
  const kept = [first];
  for (let seq = 2; seq <= CACHED_EVENTS; seq++)
    kept.push(itemOf({ event: event(seq), read: false }));
  assert.equal(itemOf({ event: event(1), read: false }), first, 'all kept up to the bound');

  const newest = itemOf({ event: event(CACHED_EVENTS + 1), read: false });
  assert.equal(itemOf({ event: event(CACHED_EVENTS + 1), read: false }), newest);
  assert.equal(itemOf({ event: event(CACHED_EVENTS), read: false }), kept[CACHED_EVENTS - 1]);
  const rebuilt = itemOf({ event: event(1), read: false });
  assert.notEqual(rebuilt, first, 'the oldest went first');
  assert.deepEqual(rebuilt, first);
});
