/**
 * The one HTML sanitiser for content that leaves or enters through feeds. Our own posts are already
 * safe (markdown-it with raw HTML off), but a feed reader renders what we send, and imported entries
 * come from strangers: both go through the same allowlist before they are served or stored.
 */
import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((tag) => tag !== 'a'),
    'a',
    'img',
    'figure',
    'figcaption',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    code: ['class'],
  },
  // Only web links and images; javascript:, data:, file: and relative URLs with no base are dropped.
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener noreferrer' }),
  },
};

export function sanitizeEntryHtml(dirty: string): string {
  return sanitizeHtml(dirty, OPTIONS);
}
