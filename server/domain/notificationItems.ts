/**
 * Turns stored events into the wire's NotificationItems. Pure: the same event reads the same on
 * every device. Messages are plain text; clients must never render them as HTML.
 */
import { postPagePath, type NotificationItem } from '../../contract/wire.js';
import type { EventRecord, InboxEntry } from '../store/store.js';

export function describeEvent(event: EventRecord): string {
  const title = `“${event.postTitle}”`;
  return event.type === 'new_post'
    ? `${event.actorName} published ${title}`
    : `${event.actorName} liked ${title}`;
}

export function postUrl(publicUrl: string, postId: string): string {
  return new URL(postPagePath(postId), publicUrl).toString();
}

export function toNotificationItem(publicUrl: string, entry: InboxEntry): NotificationItem {
  const { event } = entry;
  return {
    id: event.id,
    seq: event.seq,
    type: event.type,
    message: describeEvent(event),
    post: { id: event.postId, title: event.postTitle, url: postUrl(publicUrl, event.postId) },
    actor: { id: event.actorId, name: event.actorName },
    createdAt: event.createdAt,
    read: entry.read,
  };
}
