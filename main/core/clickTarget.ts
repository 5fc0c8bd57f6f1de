/**
 * Where a click on a notification leads, for the tray: the item's link (linkOf) under the origin
 * rule of postUrlGuard, or the inbox for an announcement without a link. A post imported from
 * another blog's feed carries the original article's link, which is on another origin, so the tray
 * refuses it like any other off-origin link (docs/FEEDS.md).
 */
import { linkOf, type NotificationItem } from '../../contract/wire.js';
import { checkPostUrl, type UrlVerdict } from './postUrlGuard.js';

export type ClickTarget = { kind: 'url'; verdict: UrlVerdict } | { kind: 'inbox' };

export function clickTargetOf(item: NotificationItem, serverUrl: string): ClickTarget {
  const link = linkOf(item);
  return link === undefined
    ? { kind: 'inbox' }
    : { kind: 'url', verdict: checkPostUrl(link, serverUrl) };
}
