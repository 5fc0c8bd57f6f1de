/**
 * Reads a fetched feed (RSS 2.0/RDF, Atom 1.0 or JSON Feed 1.1) into one small shape: the feed's
 * title, its RSS `ttl`, and its entries with a stable key, a plain-text title, an http(s) link and
 * sanitised HTML. fast-xml-parser's validator says where broken XML is broken; feedsmith does the
 * parsing (entities unprocessed); a document that declares its own entities is refused before
 * either sees it, so no expansion can happen at all.
 */
import { XMLValidator } from 'fast-xml-parser';
import { parseFeed } from 'feedsmith';
import { LIMITS } from '../../contract/wire.js';
import { FeedParseError } from './feedParseError.js';
import { sanitizeEntryHtml } from '../syndication/entryHtml.js';
import { plainText } from './plainText.js';

export interface FeedEntry {
  /** id or guid, else the link: how an entry is recognised across polls, edits and re-orderings. */
  key: string;
  title: string;
  /** The original article; always http(s). */
  link: string;
  html: string;
}

export interface FeedDocument {
  title: string;
  /** RSS `ttl`, in minutes. */
  ttlMinutes?: number;
  entries: FeedEntry[];
}

export { FeedParseError };

const KEY_MAX = 2_000;
/** Entries beyond this many in one document are ignored (a feed carries its newest first). */
export const ENTRIES_MAX = 200;

function httpLink(candidate: string | undefined, base: string): string | undefined {
  if (!candidate) return undefined;
  try {
    const url = new URL(candidate.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

interface RawEntry {
  id?: unknown;
  title?: unknown;
  link?: unknown;
  html?: unknown;
}

/** Atom text constructs: type "html" and "xhtml" carry markup, "text" (the default) does not. */
function atomHtml(construct: { value?: string; type?: string } | undefined): string | undefined {
  if (construct?.value === undefined) return undefined;
  return construct.type === 'html' || construct.type === 'xhtml'
    ? construct.value
    : `<p>${escapeText(construct.value)}</p>`;
}

function parseDocument(body: string): { title?: unknown; ttl?: number; entries: RawEntry[] } {
  const trimmed = body.trimStart();
  let input: unknown = body;
  if (trimmed.startsWith('{')) {
    try {
      input = JSON.parse(trimmed);
    } catch {
      throw new FeedParseError('the JSON is not valid');
    }
  } else if (/<!DOCTYPE[^>]*\[/i.test(trimmed) || /<!ENTITY/i.test(trimmed)) {
    throw new FeedParseError('the XML declares its own entities (refused: entity expansion)');
  } else if (/^(<\?xml[^>]*>\s*)?<(!doctype\s+html|html)[\s>]/i.test(trimmed)) {
    throw new FeedParseError(
      'this is a web page, not a feed (docs/FEEDS.md says where feeds live)',
    );
  } else if (trimmed.startsWith('<')) {
    // The feed parser is lenient on purpose; a broken document should say where it is broken.
    const verdict = XMLValidator.validate(trimmed);
    if (verdict !== true) {
      throw new FeedParseError(
        `the XML is not valid: ${verdict.err.msg} (line ${verdict.err.line})`,
      );
    }
  }
  let parsed;
  try {
    parsed = parseFeed(input);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FeedParseError(
      /unrecognized|invalid feed/i.test(reason)
        ? 'this is not an RSS, Atom or JSON feed'
        : `the feed could not be read: ${reason}`,
    );
  }
  switch (parsed.format) {
    case 'rss':
      return {
        title: parsed.feed.title,
        ...(parsed.feed.ttl !== undefined ? { ttl: Number(parsed.feed.ttl) } : {}),
        entries: (parsed.feed.items ?? []).map((item) => ({
          id: item.guid?.value,
          title: item.title,
          link: item.link ?? (item.guid?.isPermaLink !== false ? item.guid?.value : undefined),
          html: item.content?.encoded ?? item.description,
        })),
      };
    case 'rdf':
      return {
        title: parsed.feed.title,
        entries: (parsed.feed.items ?? []).map((item) => ({
          id: item.rdf?.about,
          title: item.title,
          link: item.link,
          html: item.content?.encoded ?? item.description,
        })),
      };
    case 'atom':
      return {
        title: parsed.feed.title,
        entries: (parsed.feed.entries ?? []).map((entry) => {
          const links = entry.links ?? [];
          const alternate = links.find((link) => !link.rel || link.rel === 'alternate');
          return {
            id: entry.id,
            title: entry.title,
            link: alternate?.href ?? links[0]?.href,
            html: atomHtml(entry.content) ?? atomHtml(entry.summary),
          };
        }),
      };
    case 'json':
      return {
        title: parsed.feed.title,
        entries: (parsed.feed.items ?? []).map((item) => ({
          id: item.id === undefined ? undefined : String(item.id),
          title: item.title,
          link: item.url ?? item.external_url,
          html:
            item.content_html ??
            (item.content_text === undefined
              ? item.summary
              : `<p>${escapeText(item.content_text)}</p>`),
        })),
      };
  }
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Atom and feedsmith may hand back text constructs as objects; this flattens them. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'value' in value) {
    const inner = (value as { value: unknown }).value;
    return typeof inner === 'string' ? inner : undefined;
  }
  return undefined;
}

/** `base` resolves relative links (the feed's URL after redirects). */
export function readFeedDocument(body: string, base: string): FeedDocument {
  const raw = parseDocument(body);
  const entries: FeedEntry[] = [];
  const keys = new Set<string>();
  for (const entry of raw.entries.slice(0, ENTRIES_MAX)) {
    const link = httpLink(textOf(entry.link), base);
    // Without an http(s) link there is nothing to point readers to: such entries are skipped.
    if (!link) continue;
    const id = textOf(entry.id)?.trim();
    const key = (id || link).slice(0, KEY_MAX);
    if (keys.has(key)) continue;
    keys.add(key);
    const title = plainText(textOf(entry.title) ?? '', LIMITS.titleMax) || link;
    entries.push({ key, title, link, html: sanitizeEntryHtml(textOf(entry.html) ?? '') });
  }
  const ttl = raw.ttl;
  return {
    title: plainText(textOf(raw.title) ?? '', LIMITS.titleMax) || new URL(base).host,
    ...(ttl !== undefined && Number.isFinite(ttl) && ttl > 0 ? { ttlMinutes: ttl } : {}),
    entries,
  };
}
