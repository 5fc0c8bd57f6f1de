/**
 * Where a click on a notification leads, for the tray. Only links on the signed-in server's origin
 * are ever opened (postUrlGuard). A post imported from another blog's feed carries the original
 * article's link, which is on another origin: the click then opens the post's page on the server,
 * which names the source and links to the original. An announcement opens its link under the same
 * rule, or the inbox when it has none (or its link is refused).
 */
import { linkOf, postPagePath, type NotificationItem } from '../../contract/wire.js';
import { checkPostUrl, type UrlVerdict } from './postUrlGuard.js';

export type ClickTarget = { kind: 'url'; verdict: UrlVerdict } | { kind: 'inbox' };

export function clickTargetOf(item: NotificationItem, serverUrl: string): ClickTarget {
  const link = linkOf(item);
  if (link === undefined) return { kind: 'inbox' };
  const verdict = checkPostUrl(link, serverUrl);
  if (verdict.ok || item.type === 'announcement') return { kind: 'url', verdict };
  let onServer: string;
  try {
    onServer = new URL(postPagePath(item.post.id), serverUrl).href;
  } catch {
    return { kind: 'url', verdict };
  }
  // The post's own page is on the server's origin by construction; checking it again costs nothing.
  const fallback = checkPostUrl(onServer, serverUrl);
  return { kind: 'url', verdict: fallback.ok ? fallback : verdict };
}
