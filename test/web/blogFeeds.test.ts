/**
 * A feed reader follows the blog: Atom 1.0 and JSON Feed 1.1 carry the newest posts with absolute
 * links, stable ids, full sanitised content and `updated` times; every page points to them; a
 * reader that polls politely gets a 304 until something changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { postPagePath, type Post } from '../../contract/wire.js';
import { publish, request, signUp, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';

interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  date_published: string;
  date_modified: string;
  authors: { name: string }[];
}
interface JsonFeedDocument {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  items: JsonFeedItem[];
}

const HOSTILE_BODY = [
  'Hello **world**, see [the docs](https://example.org/docs).',
  '',
  '<script>alert(1)</script> [bad](javascript:alert(2)) <img src=x onerror=alert(3)>',
].join('\n');

async function getText(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('the blog’s own feeds', () => {
  let server: RunningServer;
  let ana: TestUser;
  const published: Post[] = [];

  before(async () => {
    server = await startServer();
    ana = await signUp(server.url, 'ana');
    published.push(await publish(server.url, ana.token, 'First & <foremost>', HOSTILE_BODY));
    published.push(await publish(server.url, ana.token, 'Second'));
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it('serves Atom 1.0 that a feed parser reads, with every field RFC 4287 requires', async () => {
    const { status, headers, text } = await getText(`${server.url}/feed.atom`);
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^application\/atom\+xml/);
    const feed = parseFeed(text);
    assert.equal(feed.meta.type, 'atom');
    assert.equal(feed.title, 'Tidings');
    assert.equal(feed.self, `${server.url}/feed.atom`);
    assert.equal(feed.url, `${server.url}/`);
    assert.ok(feed.updated instanceof Date);
    assert.equal(feed.items.length, 2);
    const [second, first] = feed.items;
    assert.equal(second?.title, 'Second');
    assert.equal(first?.title, 'First & <foremost>');
    // Required per entry (RFC 4287 §4.1.2): id, title, updated; author via entry or feed.
    for (const [item, post] of [
      [second, published[1]],
      [first, published[0]],
    ] as const) {
      assert.equal(item?.id, post?.url, 'the id is the stable, absolute post URL');
      assert.equal(item?.url, `${server.url}${postPagePath(post?.id ?? '')}`);
      assert.equal(item?.updated?.toISOString(), post?.updatedAt);
      assert.equal(item?.published?.toISOString(), post?.createdAt);
      assert.equal(item?.authors[0]?.name, 'ana');
    }
    const content = first?.content ?? '';
    assert.match(content, /<strong>world<\/strong>/);
    assert.match(content, /href="https:\/\/example.org\/docs"/);
    // The raw document: one feed id, one updated, an author on the feed (RFC 4287 §4.1.1).
    assert.match(text, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    assert.equal(text.match(/^ {2}<id>/gm)?.length, 1);
    assert.equal(text.match(/^ {2}<updated>/gm)?.length, 1);
    assert.match(text, /^ {2}<author><name>/m);
  });

  it('serves JSON Feed 1.1 with the fields the spec requires and absolute links', async () => {
    const { status, headers, text } = await getText(`${server.url}/feed.json`);
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^application\/feed\+json/);
    const feed = JSON.parse(text) as JsonFeedDocument;
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(feed.title, 'Tidings');
    assert.equal(feed.home_page_url, `${server.url}/`);
    assert.equal(feed.feed_url, `${server.url}/feed.json`);
    assert.equal(feed.items.length, 2);
    for (const item of feed.items) {
      assert.equal(typeof item.id, 'string');
      assert.ok(item.id.length > 0);
      assert.ok(item.url.startsWith(`${server.url}/posts/`), item.url);
      assert.equal(
        typeof item.content_html,
        'string',
        'an item needs content_html or content_text',
      );
      assert.ok(!Number.isNaN(Date.parse(item.date_published)));
      assert.ok(!Number.isNaN(Date.parse(item.date_modified)));
    }
    const first = feed.items.find((item) => item.id === published[0]?.url);
    assert.equal(first?.title, 'First & <foremost>');
    assert.deepEqual(first?.authors, [{ name: 'ana' }]);
    const content = first?.content_html ?? '';
    assert.match(content, /<strong>world<\/strong>/);
    assert.doesNotMatch(content, /<script|<img|href="javascript:/i, 'markup in a body stays text');
    // Atom carries the same HTML, escaped once as the text of <content type="html">.
    const atom = (await getText(`${server.url}/feed.atom`)).text;
    const escaped = content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    assert.ok(atom.includes(`<content type="html">${escaped.replace(/"/g, '&quot;')}`));
  });

  it('answers a conditional GET with 304 until a post changes the feed', async () => {
    for (const path of ['/feed.atom', '/feed.json']) {
      const first = await getText(`${server.url}${path}`);
      const etag = first.headers.get('etag') ?? '';
      const lastModified = first.headers.get('last-modified') ?? '';
      assert.match(etag, /^"[^"]+"$/, `${path} has a strong ETag`);
      assert.ok(lastModified, `${path} has Last-Modified`);

      const byTag = await getText(`${server.url}${path}`, { 'if-none-match': etag });
      assert.equal(byTag.status, 304);
      assert.equal(byTag.text, '');
      const byDate = await getText(`${server.url}${path}`, { 'if-modified-since': lastModified });
      assert.equal(byDate.status, 304);
      const stale = await getText(`${server.url}${path}`, { 'if-none-match': '"stale"' });
      assert.equal(stale.status, 200);
    }
    const before = await getText(`${server.url}/feed.atom`);
    await publish(server.url, ana.token, 'Third');
    const after = await getText(`${server.url}/feed.atom`, {
      'if-none-match': before.headers.get('etag') ?? '',
    });
    assert.equal(after.status, 200);
    assert.notEqual(after.headers.get('etag'), before.headers.get('etag'));
    assert.match(after.text, /<title type="text">Third<\/title>/);
  });

  it('carries only the newest 50 posts', async () => {
    const { body } = await request<Post[]>(server.url, 'GET', '/api/posts?limit=1');
    assert.ok(body);
    for (let index = 0; index < 50; index++) await publish(server.url, ana.token, `Bulk ${index}`);
    const feed = JSON.parse((await getText(`${server.url}/feed.json`)).text) as JsonFeedDocument;
    assert.equal(feed.items.length, 50);
    assert.equal(feed.items[0]?.title, 'Bulk 49');
  });

  it('every page points feed readers to both feeds', async () => {
    for (const path of ['/', postPagePath(published[0]?.id ?? ''), '/signin', '/no-such-page']) {
      const { text } = await getText(`${server.url}${path}`);
      assert.match(
        text,
        /<link\s+rel="alternate"\s+type="application\/atom\+xml"\s+title="[^"]+"\s+href="\/feed.atom"/,
        path,
      );
      assert.match(
        text,
        /<link\s+rel="alternate"\s+type="application\/feed\+json"\s+title="[^"]+"\s+href="\/feed.json"/,
        path,
      );
    }
  });
});
