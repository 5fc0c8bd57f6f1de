/**
 * Following a blog that is not on Tidings, through a real server process, a real socket.io
 * subscriber and a local HTTP server playing the other blog: adding imports nothing as
 * notifications; each later entry is one post and one notification, exactly once (re-polls,
 * re-orderings, edits, dropped items, restarts); a 304 costs nothing; every hostile feed leaves the
 * server healthy and the feed failing with a reason; private addresses are refused unless allowed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  API,
  type FeedInfo,
  type FeedListResponse,
  type FeedRefreshResponse,
  type Post,
} from '../../contract/wire.js';
import {
  errorOf,
  like,
  listNotifications,
  postOf,
  request,
  signUp,
  subscribe,
  type TestUser,
} from '../fixtures/api.js';
import {
  atom,
  ENTITY_BOMB,
  INVALID_XML,
  jsonFeed,
  rss,
  WEB_PAGE,
  type SampleEntry,
} from '../fixtures/feedDocuments.js';
import { startFeedServer, type FeedRoute, type FeedServer } from '../fixtures/feedServer.js';
import { FEED_ARGS } from '../fixtures/importedPost.js';
import { runCli, startServer, type RunningServer } from '../fixtures/server.js';
import {
  connectSocket,
  recordEvents,
  roundTrip,
  type RecordedEvent,
  type TidingsSocket,
} from '../fixtures/sockets.js';

const entry = (n: number, title = `Entry ${n}`): SampleEntry => ({
  id: `tag:blog.example,2026:${n}`,
  title,
  link: `https://blog.example/posts/${n}`,
  html: `<p>Entry <em>${n}</em><script>alert(${n})</script></p>`,
});

const pushedPosts = (events: RecordedEvent[]) =>
  events
    .filter((event) => event.name === 'notification:new')
    .map((event) => postOf(event.payload as Parameters<typeof postOf>[0]));

describe('following another blog’s feed', () => {
  let blog: FeedServer;
  let server: RunningServer;
  let admin: TestUser;
  let reader: TestUser;
  let socket: TidingsSocket;
  let events: RecordedEvent[];
  let feed: FeedInfo;

  const refresh = (id = feed.id) =>
    request<FeedRefreshResponse>(server.url, 'POST', API.feedRefresh(id), { token: admin.token });

  async function connectReader(): Promise<void> {
    ({ socket } = await connectSocket(server.url, reader.token));
    events = recordEvents(socket);
  }

  before(async () => {
    blog = await startFeedServer();
    blog.set('/feed', {
      kind: 'feed',
      body: rss('Elsewhere', [entry(2), entry(1)]),
      etag: '"v1"',
    });
    server = await startServer({ args: FEED_ARGS });
    admin = await signUp(server.url, 'root');
    reader = await signUp(server.url, 'ben');
    await subscribe(server.url, reader.token);
    await connectReader();
  });

  after(async () => {
    socket.close();
    await server.stop();
    await server.cleanup();
    await blog.stop();
  });

  it('adding a feed answers 201 with it and notifies nobody of the entries already there', async () => {
    const added = await request<FeedInfo>(server.url, 'POST', API.feeds, {
      token: admin.token,
      json: { url: `${blog.url}/feed` },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    feed = added.body;
    assert.equal(feed.url, `${blog.url}/feed`);
    assert.equal(feed.title, 'Elsewhere');
    assert.equal(feed.status, 'ok');
    assert.equal(typeof feed.id, 'string');
    await roundTrip(socket);
    assert.deepEqual(pushedPosts(events), []);
    assert.deepEqual((await listNotifications(server.url, reader.token)).items, []);
    const list = await request<FeedListResponse>(server.url, 'GET', API.feeds, {
      token: admin.token,
    });
    assert.deepEqual(list.body.items, [feed]);
    const again = await request(server.url, 'POST', API.feeds, {
      token: admin.token,
      json: { url: `${blog.url}/feed` },
    });
    assert.equal(again.status, 409);
  });

  it('a new entry becomes one post and reaches the subscriber once, linking to the original', async () => {
    blog.set('/feed', {
      kind: 'feed',
      body: rss('Elsewhere', [entry(3), entry(2), entry(1)]),
      etag: '"v2"',
    });
    const polled = await refresh();
    assert.equal(polled.status, 200, JSON.stringify(polled.body));
    assert.equal(polled.body.newEntries, 1);
    await roundTrip(socket);
    const [pushed, ...more] = pushedPosts(events);
    assert.equal(more.length, 0);
    assert.equal(pushed?.title, 'Entry 3');
    assert.equal(pushed?.url, 'https://blog.example/posts/3', 'the original article');
    const [item] = (await listNotifications(server.url, reader.token)).items;
    assert.equal(item?.type, 'new_post');
    assert.equal(item?.message, 'Elsewhere published “Entry 3”');

    // The post on the blog names its source, links to the original, and can be liked.
    const post = await request<Post>(server.url, 'GET', API.post(pushed?.id ?? ''));
    assert.deepEqual(post.body.source, {
      feedTitle: 'Elsewhere',
      url: 'https://blog.example/posts/3',
    });
    assert.doesNotMatch(post.body.body, /<script/);
    assert.match(post.body.body, /<em>3<\/em>/);
    const page = await (await fetch(`${server.url}/posts/${pushed?.id}`)).text();
    assert.match(page, /From <span class="source-title">Elsewhere<\/span>/);
    assert.match(page, /href="https:\/\/blog.example\/posts\/3"/);
    assert.doesNotMatch(page, /alert\(3\)/);
    assert.equal((await like(server.url, reader.token, pushed?.id ?? '')).likeCount, 1);
  });

  it('a re-poll of an unchanged feed is a conditional GET answered 304, and adds nothing', async () => {
    const before = blog.requests('/feed').length;
    const polled = await refresh();
    assert.equal(polled.body.newEntries, 0);
    const [request304] = blog.requests('/feed').slice(before);
    assert.equal(request304?.headers['if-none-match'], '"v2"');
    assert.equal(request304?.answeredNotModified, true);
    assert.match(request304?.headers['user-agent'] ?? '', /^Tidings\/\S+ \(\+http/);
    assert.equal(polled.body.feed.status, 'ok');
  });

  it('re-ordered, edited and dropped entries add nothing; a restart adds nothing', async () => {
    blog.set('/feed', {
      kind: 'feed',
      // Entry 1 dropped, entry 3 edited, order changed, no validators this time.
      body: rss('Elsewhere', [entry(2), entry(3, 'Entry 3, edited')]),
    });
    assert.equal((await refresh()).body.newEntries, 0);

    socket.close();
    assert.equal(await server.stop(), 0);
    server = await startServer({ dataDir: server.dataDir, args: FEED_ARGS });
    await connectReader();
    assert.equal((await refresh()).body.newEntries, 0);
    blog.set('/feed', { kind: 'feed', body: rss('Elsewhere', [entry(4), entry(2), entry(3)]) });
    assert.equal((await refresh()).body.newEntries, 1);
    await roundTrip(socket);
    assert.deepEqual(
      pushedPosts(events).map((post) => post.title),
      ['Entry 4'],
    );
    const titles = (await listNotifications(server.url, reader.token)).items.map(
      (item) => postOf(item).title,
    );
    assert.deepEqual(titles, ['Entry 4', 'Entry 3']);
  });

  it('Atom 1.0 and JSON Feed 1.1 are followed the same way', async () => {
    for (const [path, write] of [
      ['/atom', atom],
      ['/json', jsonFeed],
    ] as const) {
      const first = { ...entry(10), id: `${path}:10`, link: `https://blog.example${path}/10` };
      const second = { ...entry(11), id: `${path}:11`, link: `https://blog.example${path}/11` };
      blog.set(path, { kind: 'feed', body: write(`Blog at ${path}`, [first]) });
      const added = await request<FeedInfo>(server.url, 'POST', API.feeds, {
        token: admin.token,
        json: { url: `${blog.url}${path}` },
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      blog.set(path, { kind: 'feed', body: write(`Blog at ${path}`, [second, first]) });
      assert.equal((await refresh(added.body.id)).body.newEntries, 1);
      assert.equal((await refresh(added.body.id)).body.newEntries, 0);
      const [newest] = (await listNotifications(server.url, reader.token)).items;
      assert.equal(postOf(newest).url, `https://blog.example${path}/11`);
    }
  });

  const hostile: [string, FeedRoute, RegExp][] = [
    [
      'a body over 5 MB',
      { kind: 'huge', bytes: 6 * 1024 * 1024, declareLength: false },
      /larger than/,
    ],
    ['more than 5 redirects', { kind: 'redirect', to: '/feed' }, /more than 5 redirects/],
    ['a slow drip', { kind: 'drip', everyMs: 200 }, /no complete answer within 2 s/],
    ['a server that never answers', { kind: 'silence' }, /no complete answer within 2 s/],
    ['invalid XML', { kind: 'feed', body: INVALID_XML }, /XML is not valid/],
    ['XML entity expansion', { kind: 'feed', body: ENTITY_BOMB }, /entity expansion/],
    ['a web page', { kind: 'feed', body: WEB_PAGE, contentType: 'text/html' }, /web page/],
    ['a server error', { kind: 'feed', status: 500, body: 'oops' }, /answered 500/],
  ];
  for (const [what, route, reason] of hostile) {
    it(`${what}: the feed is marked failing with the reason, and the server keeps serving`, async () => {
      blog.set('/feed', route);
      const polled = await refresh();
      assert.equal(polled.status, 200, JSON.stringify(polled.body));
      assert.equal(polled.body.newEntries, 0);
      assert.equal(polled.body.feed.status, 'failing');
      assert.match(polled.body.feed.lastError ?? '', reason);
      const health = await request(server.url, 'GET', API.health);
      assert.equal(health.status, 200);
      const listed = await request<FeedListResponse>(server.url, 'GET', API.feeds, {
        token: admin.token,
      });
      assert.match(listed.body.items.find((f) => f.id === feed.id)?.lastError ?? '', reason);
    });
  }

  it('recovers when the feed is healthy again, and removing it keeps its posts', async () => {
    blog.set('/feed', { kind: 'feed', body: rss('Elsewhere', [entry(5), entry(4)]) });
    const polled = await refresh();
    assert.equal(polled.body.feed.status, 'ok');
    assert.equal(polled.body.feed.lastError, null);
    assert.equal(polled.body.newEntries, 1);
    const removed = await request(server.url, 'DELETE', API.feed(feed.id), { token: admin.token });
    assert.equal(removed.status, 204);
    assert.equal((await refresh()).status, 404);
    const posts = await request<{ items: Post[] }>(server.url, 'GET', `${API.posts}?limit=50`);
    assert.ok(posts.body.items.some((post) => post.title === 'Entry 5'));
  });

  it('refuses non-admins, bad URLs and unknown feeds with a clear error', async () => {
    const asReader = await request(server.url, 'POST', API.feeds, {
      token: reader.token,
      json: { url: `${blog.url}/feed` },
    });
    assert.equal(asReader.status, 403);
    for (const url of ['ftp://blog.example/feed', 'javascript:alert(1)', 'not a url']) {
      const bad = await request(server.url, 'POST', API.feeds, {
        token: admin.token,
        json: { url },
      });
      assert.equal(bad.status, 400, url);
      assert.equal(errorOf(bad).code, 'invalid_payload');
    }
    const missing = await request(server.url, 'POST', API.feeds, {
      token: admin.token,
      json: { url: `${blog.url}/no-such-feed` },
    });
    assert.equal(missing.status, 400);
    assert.match(errorOf(missing).message, /answered 404/);
    assert.equal(
      (await request(server.url, 'DELETE', API.feed('nope'), { token: admin.token })).status,
      404,
    );
  });
});

describe('feeds on private addresses, with private feeds off (the default)', () => {
  let blog: FeedServer;
  let server: RunningServer;

  before(async () => {
    blog = await startFeedServer();
    blog.set('/feed', { kind: 'feed', body: rss('Inside', [entry(1)]) });
    server = await startServer();
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
    await blog.stop();
  });

  it('refuses loopback by address and by name, and never connects', async () => {
    const admin = await signUp(server.url, 'root');
    const port = new URL(blog.url).port;
    for (const url of [`http://127.0.0.1:${port}/feed`, `http://localhost:${port}/feed`]) {
      const refused = await request(server.url, 'POST', API.feeds, {
        token: admin.token,
        json: { url },
      });
      assert.equal(refused.status, 400, url);
      assert.match(errorOf(refused).message, /private, loopback or link-local/);
    }
    assert.equal(blog.requests().length, 0);
  });
});

describe('feeds from the command line, while the server is stopped', () => {
  let blog: FeedServer;
  let server: RunningServer;

  before(async () => {
    blog = await startFeedServer();
    blog.set('/feed', { kind: 'feed', body: rss('From the CLI', [entry(1)]) });
    server = await startServer();
    await signUp(server.url, 'root');
    await server.stop();
  });

  after(async () => {
    await server.cleanup();
    await blog.stop();
  });

  it('adds, lists and removes a feed', async () => {
    const dataDir = ['--data-dir', server.dataDir];
    const added = await runCli(['feeds', 'add', `${blog.url}/feed`, ...dataDir, ...FEED_ARGS]);
    assert.equal(added.code, 0, added.stderr);
    const id = /as feed (\S+)/.exec(added.stdout)?.[1] ?? '';
    assert.match(added.stdout, /following From the CLI/);
    const listed = await runCli(['feeds', 'list', ...dataDir]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${id}\\tok\\t${blog.url}/feed\\tFrom the CLI`, 'm'));
    const refused = await runCli(['feeds', 'add', `${blog.url}/feed`, ...dataDir]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /private, loopback or link-local/);
    const removed = await runCli(['feeds', 'remove', id, ...dataDir]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match((await runCli(['feeds', 'list', ...dataDir])).stdout, /no feeds are followed/);
    const unknown = await runCli(['feeds', 'remove', id, ...dataDir]);
    assert.equal(unknown.code, 1);
  });
});
