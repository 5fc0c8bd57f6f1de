/**
 * The NotificationItems of the events read most recently, built once and shared (issue 14): in a
 * reconnect storm thousands of users catch up on the same newest events, and every `sync` built
 * each of its items anew (the message, the post's URL, three or four objects).
 *
 * An item depends on its event, the reader's read flag and the server's public URL, nothing else:
 * an event never changes once stored. Its titles and names are snapshots (store/records.ts); an
 * edit or a delete of the post leaves its events as they were, in both stores (lowdb's
 * postQueries.ts, PostgreSQL's postQueries.ts); retention only drops them, and a dropped event is
 * never read again. So items are kept per event id, one for each read flag, for one public URL,
 * and frozen, since every caller gets the same objects. The oldest entry goes first once
 * `maxEvents` are kept: a storm reads the same few dozen events, so a plain first-in first-out
 * bound keeps them without an LRU's reordering on every hit.
 */
import type { NotificationItem } from '../../contract/wire.js';
import type { InboxEntry } from '../store/store.js';
import { toNotificationItem } from './notificationItems.js';

export const CACHED_EVENTS = 1_024;

interface EventItems {
  unread?: NotificationItem;
  read?: NotificationItem;
}

function frozen(item: NotificationItem): NotificationItem {
  Object.freeze(item.actor);
  if (item.type === 'announcement') Object.freeze(item.announcement);
  else Object.freeze(item.post);
  return Object.freeze(item);
}

/** The item of each inbox entry, shared between readers with the same read flag. */
export function createNotificationItems(
  publicUrl: string,
  maxEvents = CACHED_EVENTS,
): (entry: InboxEntry) => NotificationItem {
  const byEventId = new Map<string, EventItems>();
  return (entry) => {
    const { event, read } = entry;
    let items = byEventId.get(event.id);
    if (!items) {
      items = {};
      byEventId.set(event.id, items);
      if (byEventId.size > maxEvents) byEventId.delete(byEventId.keys().next().value as string);
    }
    const key = read ? 'read' : 'unread';
    return (items[key] ??= frozen(toNotificationItem(publicUrl, entry)));
  };
}
