/**
 * Turns stored events into the wire's NotificationItems. Pure: the same event reads the same on
 * every device. Messages are plain text; clients must never render them as HTML.
 */
import { postPagePath, type NotificationItem } from '../../contract/wire.js';
import type { EventRecord, InboxEntry } from '../store/store.js';

export function describeEvent(event: EventRecord): string {
  const title = `“${event.postTitle}”`;
  switch (event.type) {
    case 'new_post':
      return `${event.actorName} published ${title}`;
    case 'post_liked':
      return `${event.actorName} liked ${title}`;
    case 'announcement':
      return `Announcement from ${event.actorName}: ${event.postTitle}`;
  }
}

/** The public URL's origin, parsed once: `new URL` per item of every `sync` was about 2.5 % of a
 * reconnect storm's catch-up (issue 14). A server has one public URL. */
let base: { publicUrl: string; origin: string } | undefined;

export function postUrl(publicUrl: string, postId: string): string {
  const path = postPagePath(postId);
  // A path of '.' or '..' is resolved by the URL parser; no store makes such an id, but then the
  // result is still what `new URL` gives.
  if (postId === '.' || postId === '..') return new URL(path, publicUrl).toString();
  if (base?.publicUrl !== publicUrl) base = { publicUrl, origin: new URL(publicUrl).origin };
  return `${base.origin}${path}`;
}

export function toNotificationItem(publicUrl: string, entry: InboxEntry): NotificationItem {
  const { event } = entry;
  const common = {
    id: event.id,
    seq: event.seq,
    message: describeEvent(event),
    actor: { id: event.actorId, name: event.actorName },
    createdAt: event.createdAt,
    read: entry.read,
  };
  if (event.type === 'announcement') {
    return {
      ...common,
      type: 'announcement',
      announcement: {
        title: event.postTitle,
        ...(event.text === undefined ? {} : { text: event.text }),
        ...(event.url === undefined ? {} : { url: event.url }),
      },
    };
  }
  return {
    ...common,
    type: event.type,
    // An imported post's notification leads to the original article.
    post: {
      id: event.postId,
      title: event.postTitle,
      url: event.url ?? postUrl(publicUrl, event.postId),
    },
  };
}
