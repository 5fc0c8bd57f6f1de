/**
 * Atom 1.0 (RFC 4287) for the blog's feed. Hand-serialised because the document is small and fixed;
 * every text goes through `escapeXml`, so nothing from a post can become markup in the feed.
 */
import type { BlogFeed, BlogFeedEntry } from './blogFeed.js';

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

// eslint-disable-next-line no-control-regex -- these are exactly the characters XML forbids
const NOT_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Also drops characters XML 1.0 forbids (C0 controls but tab and newlines, lone surrogates). */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_IN_XML, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

function entryXml(entry: BlogFeedEntry): string {
  return [
    '  <entry>',
    `    <id>${escapeXml(entry.id)}</id>`,
    `    <title type="text">${escapeXml(entry.title)}</title>`,
    `    <link rel="alternate" type="text/html" href="${escapeXml(entry.url)}"/>`,
    entry.externalUrl
      ? `    <link rel="related" type="text/html" href="${escapeXml(entry.externalUrl)}"/>`
      : '',
    `    <published>${entry.published}</published>`,
    `    <updated>${entry.updated}</updated>`,
    `    <author><name>${escapeXml(entry.authorName)}</name></author>`,
    `    <content type="html">${escapeXml(entry.contentHtml)}</content>`,
    '  </entry>',
  ]
    .filter(Boolean)
    .join('\n');
}

export function atomXml(feed: BlogFeed): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(feed.homeUrl)}</id>`,
    `  <title type="text">${escapeXml(feed.title)}</title>`,
    `  <updated>${feed.updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.atomUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(feed.homeUrl)}"/>`,
    // RFC 4287 §4.1.1: entries without an author need one on the feed.
    `  <author><name>${escapeXml(feed.title)}</name></author>`,
    '  <generator>Tidings</generator>',
    ...feed.entries.map(entryXml),
    '</feed>',
    '',
  ].join('\n');
}
