/**
 * What the blog's own feeds say, in one format-neutral shape: the newest posts with absolute links,
 * stable ids and full content as sanitised HTML. The Atom and JSON Feed writers only serialise it,
 * so the two feeds can never disagree.
 */
import { createHash } from 'node:crypto';
import type { Post } from '../../contract/wire.js';
import { renderBody } from '../web/postBody.js';
import { sanitizeEntryHtml } from './entryHtml.js';

/** How many posts the feeds carry: enough for a reader that polls daily, small enough to serve. */
export const FEED_POSTS = 50;

export const FEED_PATHS = { atom: '/feed.atom', json: '/feed.json' } as const;

export interface BlogFeedEntry {
  /** Stable for the post's life: its page URL never changes (postPagePath). */
  id: string;
  url: string;
  title: string;
  contentHtml: string;
  authorName: string;
  published: string;
  updated: string;
  /** For imported posts: the original article. */
  externalUrl?: string;
}

export interface BlogFeed {
  title: string;
  homeUrl: string;
  atomUrl: string;
  jsonUrl: string;
  /** The newest `updated` of any entry; the feed's own `updated` and Last-Modified. */
  updated: string;
  entries: BlogFeedEntry[];
}

/** The date the blog's feeds carry when there is no post yet: fixed, so the ETag stays stable. */
const EPOCH = new Date(0).toISOString();

export function blogFeedOf(publicUrl: string, posts: Post[], title = 'Tidings'): BlogFeed {
  const entries = posts.map((post): BlogFeedEntry => ({
    id: post.url,
    url: post.url,
    title: post.title,
    contentHtml: sanitizeEntryHtml(renderBody(post).value),
    authorName: post.source?.feedTitle ?? post.author.name,
    published: post.createdAt,
    updated: post.updatedAt,
    ...(post.source ? { externalUrl: post.source.url } : {}),
  }));
  const updated = entries.reduce(
    (newest, entry) => (entry.updated > newest ? entry.updated : newest),
    EPOCH,
  );
  return {
    title,
    homeUrl: new URL('/', publicUrl).toString(),
    atomUrl: new URL(FEED_PATHS.atom, publicUrl).toString(),
    jsonUrl: new URL(FEED_PATHS.json, publicUrl).toString(),
    updated,
    entries,
  };
}

/** A strong validator over the exact bytes served. */
export function entityTagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
