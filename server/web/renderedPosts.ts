/**
 * Rendered post bodies, kept by post id and `updatedAt`: Markdown is rendered once per version of
 * a post, not once per view, so a popular 50,000-character post costs one render. An edit changes
 * `updatedAt` and so the key; the old version ages out. Bounded by total size, since one entry
 * can be a few hundred kilobytes of HTML.
 */
import { LRUCache } from 'lru-cache';
import type { SafeHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { renderImported } from './postBody.js';

/** About 8 MB of HTML: dozens of the longest posts or thousands of ordinary ones. */
const MAX_CACHED_CHARS = 8_000_000;

export interface PostVersion {
  id: string;
  updatedAt: string;
  body: string;
  /** Set on a post imported from a feed: its body is sanitised HTML, not Markdown. */
  source?: unknown;
}

export function createRenderedPosts(
  render: (markdown: string) => SafeHtml = renderMarkdown,
  maxChars = MAX_CACHED_CHARS,
) {
  const cache = new LRUCache<string, SafeHtml>({
    maxSize: maxChars,
    sizeCalculation: (html) => Math.max(1, html.toString().length),
  });
  return {
    bodyOf(post: PostVersion): SafeHtml {
      const key = `${post.id}@${post.updatedAt}`;
      let rendered = cache.get(key);
      if (rendered === undefined) {
        rendered = post.source === undefined ? render(post.body) : renderImported(post.body);
        cache.set(key, rendered);
      }
      return rendered;
    },
  };
}

export type RenderedPosts = ReturnType<typeof createRenderedPosts>;
