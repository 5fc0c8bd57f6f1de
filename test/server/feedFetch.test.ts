/**
 * Fetching and reading other blogs' feeds, against a real local HTTP server: the three formats,
 * politeness (User-Agent, conditional GET, the server's hints), every hostile case refused with a
 * reason, and SSRF refused on the resolved address.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFeedDocument } from '../../server/feeds/feedDocument.js';
import { FETCH_LIMITS, fetchFeed, type FetchOptions } from '../../server/feeds/feedFetcher.js';
import {
  atom,
  ENTITY_BOMB,
  INVALID_XML,
  jsonFeed,
  rss,
  WEB_PAGE,
  type SampleEntry,
} from '../fixtures/feedDocuments.js';
import { startFeedServer, type FeedServer } from '../fixtures/feedServer.js';

const OPTIONS: FetchOptions = {
  userAgent: 'Tidings/test (+http://127.0.0.1)',
  allowPrivate: true,
  timeoutMs: 2_000,
};

const ENTRIES: SampleEntry[] = [
  {
    id: 'urn:entry:2',
    title: 'Second &amp; <b>bold</b>\u202E txet',
    link: 'https://blog.example/second',
    html: '<p>Two <script>alert(1)</script><a href="javascript:x()">x</a></p>',
  },
  {
    id: 'urn:entry:1',
    title: 'First',
    link: 'https://blog.example/first',
    html: '<p onclick="x()">One</p>',
  },
];

async function read(server: FeedServer, path: string, options: Partial<FetchOptions> = {}) {
  const result = await fetchFeed(`${server.url}${path}`, { ...OPTIONS, ...options });
  assert.equal(result.kind, 'fetched');
  return readFeedDocument(result.kind === 'fetched' ? result.body : '', `${server.url}${path}`);
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return assert.fail('expected a refusal');
}

describe('fetching and reading a followed feed', () => {
  let server: FeedServer;

  before(async () => {
    server = await startFeedServer();
  });

  after(async () => {
    await server.stop();
  });

  for (const [name, body] of [
    ['RSS 2.0', rss('Elsewhere', ENTRIES)],
    ['Atom 1.0', atom('Elsewhere', ENTRIES)],
    ['JSON Feed 1.1', jsonFeed('Elsewhere', ENTRIES)],
  ] as const) {
    it(`reads ${name}: keys, plain-text titles, http(s) links, sanitised HTML`, async () => {
      const path = `/${name.replace(/\W+/g, '-')}`;
      server.set(path, { kind: 'feed', body });
      const document = await read(server, path);
      assert.equal(document.title, 'Elsewhere');
      assert.deepEqual(
        document.entries.map((entry) => [entry.key, entry.link]),
        [
          ['urn:entry:2', 'https://blog.example/second'],
          ['urn:entry:1', 'https://blog.example/first'],
        ],
      );
      const [second, first] = document.entries;
      assert.equal(second?.title, 'Second & bold txet', 'tags and bidi overrides gone');
      assert.doesNotMatch(second?.html ?? '', /<script|javascript:/);
      assert.equal(first?.html, '<p>One</p>');
    });
  }

  it('names Tidings in its User-Agent and sends the validators it was given', async () => {
    server.set('/polite', {
      kind: 'feed',
      body: rss('Polite', ENTRIES, { ttl: 120 }),
      etag: '"v1"',
      lastModified: 'Sun, 01 Nov 2026 10:00:00 GMT',
      headers: { 'cache-control': 'public, max-age=1800' },
    });
    const first = await fetchFeed(`${server.url}/polite`, OPTIONS);
    assert.equal(first.kind, 'fetched');
    assert.equal(first.kind === 'fetched' && first.etag, '"v1"');
    assert.equal(first.maxAgeSeconds, 1800);
    const again = await fetchFeed(`${server.url}/polite`, {
      ...OPTIONS,
      etag: '"v1"',
      lastModified: 'Sun, 01 Nov 2026 10:00:00 GMT',
    });
    assert.equal(again.kind, 'not-modified');
    const [plain, conditional] = server.requests('/polite');
    assert.match(plain?.headers['user-agent'] ?? '', /^Tidings\//);
    assert.equal(plain?.conditional, false);
    assert.equal(conditional?.conditional, true);
    assert.equal(conditional?.answeredNotModified, true);
    assert.equal(readFeedDocument(rss('x', [], { ttl: 120 }), server.url).ttlMinutes, 120);
  });

  it('hands back Retry-After from a 503', async () => {
    server.set('/busy', {
      kind: 'feed',
      status: 503,
      body: 'busy',
      headers: { 'retry-after': '3600' },
    });
    try {
      await fetchFeed(`${server.url}/busy`, OPTIONS);
      assert.fail('a 503 is a failure');
    } catch (error) {
      assert.match((error as Error).message, /answered 503/);
      assert.deepEqual((error as { hints: unknown }).hints, { retryAfterSeconds: 3600 });
    }
  });

  it('follows up to 5 redirects and refuses the sixth', async () => {
    for (let hop = 0; hop < 6; hop++) {
      server.set(`/hop${hop}`, { kind: 'redirect', to: `/hop${hop + 1}` });
    }
    server.set('/hop6', { kind: 'feed', body: rss('Far away', ENTRIES) });
    assert.equal((await read(server, '/hop1')).title, 'Far away');
    assert.match(await refusal(fetchFeed(`${server.url}/hop0`, OPTIONS)), /more than 5 redirects/);
  });

  it('refuses a redirect to something that is not http(s)', async () => {
    server.set('/to-file', { kind: 'redirect', to: 'file:///etc/passwd' });
    assert.match(await refusal(fetchFeed(`${server.url}/to-file`, OPTIONS)), /only http\(s\)/);
  });

  it('refuses bodies over 5 MB, declared or not', async () => {
    const bytes = FETCH_LIMITS.maxBodyBytes + 1024;
    server.set('/declared', { kind: 'huge', bytes, declareLength: true });
    server.set('/streamed', { kind: 'huge', bytes, declareLength: false });
    for (const path of ['/declared', '/streamed']) {
      assert.match(await refusal(fetchFeed(`${server.url}${path}`, OPTIONS)), /larger than/);
    }
  });

  it('gives up on a slow drip and on silence when the deadline passes', async () => {
    server.set('/drip', { kind: 'drip', everyMs: 100 });
    server.set('/silence', { kind: 'silence' });
    for (const path of ['/drip', '/silence']) {
      const message = await refusal(
        fetchFeed(`${server.url}${path}`, { ...OPTIONS, timeoutMs: 600 }),
      );
      assert.match(message, /no complete answer within/);
    }
  });

  it('refuses entity expansion, invalid XML and web pages, saying which', () => {
    assert.throws(() => readFeedDocument(ENTITY_BOMB, server.url), /entity expansion/);
    assert.throws(() => readFeedDocument(INVALID_XML, server.url), /XML is not valid/);
    assert.throws(() => readFeedDocument(WEB_PAGE, server.url), /web page, not a feed/);
    assert.throws(() => readFeedDocument('{"title": "x"}', server.url), /not an RSS, Atom or JSON/);
  });

  it('with private feeds off, refuses loopback, private and metadata addresses, by IP and by name', async () => {
    server.set('/private', { kind: 'feed', body: rss('Inside', ENTRIES) });
    const port = new URL(server.url).port;
    const before = server.requests('/private').length;
    for (const url of [
      `http://127.0.0.1:${port}/private`,
      `http://localhost:${port}/private`, // a name: judged by what it resolves to
      `http://[::1]:${port}/private`,
      `http://0x7f000001:${port}/private`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/feed',
      'http://192.168.1.1/feed',
      'http://[::ffff:127.0.0.1]/feed',
    ]) {
      const message = await refusal(fetchFeed(url, { ...OPTIONS, allowPrivate: false }));
      assert.match(message, /private, loopback or link-local/, url);
    }
    assert.equal(server.requests('/private').length, before, 'nothing reached the server');
  });
});
