/**
 * A post's plain-text excerpt: the first words of its Markdown body without the syntax. Parsing a
 * 50,000-character body costs milliseconds, so it is cut once, when the post is published or
 * edited, and stored with the post; lists and the home page only read it.
 */
import { LRUCache } from 'lru-cache';
import MarkdownIt from 'markdown-it';
import { LIMITS } from '../../contract/wire.js';
import type { PostRecord } from '../store/store.js';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

export function excerptOf(source: string, maxChars: number = LIMITS.excerptMax): string {
  const text = markdown
    .parse(source, {})
    .filter((block) => block.type === 'inline')
    .map((block) =>
      (block.children ?? [])
        .map((token) =>
          token.type === 'softbreak' || token.type === 'hardbreak' ? ' ' : token.content,
        )
        .join(''),
    )
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxChars ? `${text.slice(0, maxChars).trimEnd()}…` : text;
}

/** Posts stored before excerpts existed: cut once per version of the post, then remembered. */
const legacyExcerpts = new LRUCache<string, string>({ max: 1_000 });

/** The stored excerpt, or (for a post older than excerpts) one cut once and kept. */
export function excerptFor(post: PostRecord): string {
  if (post.excerpt !== undefined) return post.excerpt;
  const key = `${post.id}@${post.updatedAt}`;
  let excerpt = legacyExcerpts.get(key);
  if (excerpt === undefined) {
    excerpt = excerptOf(post.body);
    legacyExcerpts.set(key, excerpt);
  }
  return excerpt;
}
