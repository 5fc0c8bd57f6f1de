/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1) for the blog's feed. */
import type { BlogFeed } from './blogFeed.js';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

export function jsonFeedText(feed: BlogFeed): string {
  const document = {
    version: JSON_FEED_VERSION,
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.jsonUrl,
    items: feed.entries.map((entry) => ({
      id: entry.id,
      url: entry.url,
      ...(entry.externalUrl ? { external_url: entry.externalUrl } : {}),
      title: entry.title,
      content_html: entry.contentHtml,
      date_published: entry.published,
      date_modified: entry.updated,
      authors: [{ name: entry.authorName }],
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
