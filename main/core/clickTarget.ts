/**
 * Where a click on a notification leads, for the tray and the inbox window alike: the item's link
 * (linkOf) under the origin rule of postUrlGuard, or the inbox for an announcement without a link.
 * A post whose link fails that rule (one imported from another blog's feed carries the original
 * article's link, on another origin) opens the server's own `/posts/<id>/original` instead: it is
 * on the server's origin, so the rule holds, and it is the server's page that vouches for the
 * redirect to the one link it stored for that post (docs/FEEDS.md).
 */
import { linkOf, postOriginalPath, type NotificationItem } from '../../contract/wire.js';
import { checkPostUrl, type UrlVerdict } from './postUrlGuard.js';

export type ClickTarget = { kind: 'url'; verdict: UrlVerdict } | { kind: 'inbox' };

export function clickTargetOf(item: NotificationItem, serverUrl: string): ClickTarget {
  const url = clickUrlOf(item, serverUrl);
  return url === undefined
    ? { kind: 'inbox' }
    : { kind: 'url', verdict: checkPostUrl(url, serverUrl) };
}

/**
 * The URL a click hands to the link opener (which checks it again), or undefined for the inbox.
 * An announcement has no fallback: its refused link stays refused and the inbox opens.
 */
export function clickUrlOf(item: NotificationItem, serverUrl: string): string | undefined {
  const link = linkOf(item);
  if (link === undefined || item.type === 'announcement' || checkPostUrl(link, serverUrl).ok) {
    return link;
  }
  return originalPageOn(serverUrl, item.post.id) ?? link;
}

function originalPageOn(serverUrl: string, postId: string): string | undefined {
  try {
    return new URL(postOriginalPath(postId), serverUrl).href;
  } catch {
    // No server configured: the link itself goes to the guard, which refuses it with a reason.
    return undefined;
  }
}
