/**
 * A post's body as HTML. Our own posts are Markdown (raw HTML off); a post imported from a feed
 * holds HTML that was sanitised before it was stored, and is sanitised again here, so a record
 * written by an older version or edited by hand still cannot carry a script onto a page.
 */
import type { Post } from '../../contract/wire.js';
import { sanitizeEntryHtml } from '../syndication/entryHtml.js';
import { SafeHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

export function renderImported(html: string): SafeHtml {
  return new SafeHtml(sanitizeEntryHtml(html));
}

export function renderBody(post: Pick<Post, 'body' | 'source'>): SafeHtml {
  return post.source ? renderImported(post.body) : renderMarkdown(post.body);
}
