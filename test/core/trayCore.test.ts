/**
 * The tray core against a real Tidings server: signing in, live notifications, the badge, the
 * alert policy and the URL guard, as a reader and an author would live them.
 */
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { API, linkOf, postOriginalPath } from '../../contract/wire.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { ALERT_RULES } from '../../main/core/alertPolicy.js';
import { like, publish, request, signUp, type TestUser } from '../fixtures/api.js';
import { startFeedServer } from '../fixtures/feedServer.js';
import { FEED_ARGS, importPost } from '../fixtures/importedPost.js';
import { createFakeClock } from './fakeClock.js';
import {
  createCoreUnderTest,
  signedInCore,
  startBlog,
  settle,
  waitFor,
  waitForSnapshot,
  type CoreUnderTest,
} from './coreHarness.js';

/** Long enough for any batch that was going to be raised to have been raised. */
const ALERTS_SETTLE_MS = ALERT_RULES.gatherMaxMs + 750;

const cleanups: (() => Promise<unknown>)[] = [];
const defer = (cleanup: () => Promise<unknown>): void => void cleanups.push(cleanup);
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});
after(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function serverWithReader(args: string[] = []): Promise<{
  server: RunningServer;
  ana: TestUser;
  ben: TestUser;
  app: CoreUnderTest;
}> {
  const blog = await startBlog(defer, args);
  const app = await signedInCore(defer, blog.server.url, blog.ben);
  return { ...blog, app };
}

test('Ben signs in, Ana publishes: unread 1 and exactly one notification that opens the post', async () => {
  const { server, ana, app } = await serverWithReader();
  assert.deepEqual(app.core.snapshot().account, { serverUrl: server.url, username: 'ben' });
  assert.equal(app.badges.at(-1)?.tooltip, 'Tidings: 0 unread');

  const post = await publish(server.url, ana.token, 'Spring is here');
  const snapshot = await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 1, 'unread 1');
  const item = snapshot.inbox.items[0];
  assert.equal(item && linkOf(item), post.url);
  assert.deepEqual(app.badges.at(-1), {
    unreadCount: 1,
    status: 'online',
    tooltip: 'Tidings: 1 unread',
  });

  await waitFor(() => (app.notifications.length > 0 ? true : undefined), 'a notification');
  await settle(ALERTS_SETTLE_MS);
  assert.equal(app.notifications.length, 1);
  const [raised] = app.notifications;
  assert.equal(raised?.notification.title, 'New post: Spring is here');
  assert.deepEqual(raised?.notification.action, {
    kind: 'open-post',
    itemId: snapshot.inbox.items[0]?.id,
    url: post.url,
  });

  raised?.click();
  await waitForSnapshot(
    app.core,
    (s) => s.inbox.unreadCount === 0 && s.inbox.items[0]?.read === true,
    'the click to mark it read',
  );
  assert.deepEqual(app.opened, [post.url]);
});

test('a burst of 10 posts becomes ONE summary notification, and unread 10', async () => {
  const { server, ana, app } = await serverWithReader();
  for (let index = 1; index <= 10; index += 1)
    await publish(server.url, ana.token, `Post number ${index}`);
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 10, 'unread 10');
  await waitFor(() => (app.notifications.length > 0 ? true : undefined), 'a notification');
  await settle(ALERTS_SETTLE_MS);
  assert.equal(
    app.notifications.length,
    1,
    JSON.stringify(app.notifications.map((n) => n.notification.title)),
  );
  assert.equal(app.notifications[0]?.notification.title, '10 new posts');
  assert.deepEqual(app.notifications[0]?.notification.action, { kind: 'open-inbox' });
  assert.equal(app.core.snapshot().inbox.items.length, 10);
});

test('likes on one post merge into "Ben and 1 other liked …" for its author', async () => {
  const server = await startServer();
  cleanups.push(async () => {
    await server.stop();
    await server.cleanup();
  });
  const ana = await signUp(server.url, 'ana');
  const ben = await signUp(server.url, 'ben');
  const cy = await signUp(server.url, 'cyd');
  const app = await createCoreUnderTest();
  cleanups.push(() => app.dispose());
  assert.deepEqual(
    await app.core.signIn({ serverUrl: server.url, username: 'ana', password: ana.password }),
    { ok: true },
  );
  await waitForSnapshot(app.core, (s) => s.status.state === 'online', 'online');
  const post = await publish(server.url, ana.token, 'Likeable');
  await like(server.url, ben.token, post.id);
  await like(server.url, cy.token, post.id);
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 2, 'unread 2');
  await waitFor(() => (app.notifications.length > 0 ? true : undefined), 'a notification');
  await settle(ALERTS_SETTLE_MS);
  assert.equal(app.notifications.length, 1);
  assert.equal(app.notifications[0]?.notification.title, 'ben and 1 other liked “Likeable”');
  assert.equal(app.notifications[0]?.notification.action.kind, 'open-post');
});

test('do-not-disturb and muted types silence notifications, but the count still rises', async () => {
  const { server, ana, app } = await serverWithReader();
  assert.deepEqual(await app.core.updateSettings({ notificationsEnabled: false }), { ok: true });
  await publish(server.url, ana.token, 'While DND is on');
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 1, 'unread 1');

  assert.deepEqual(
    await app.core.updateSettings({ notificationsEnabled: true, mutedTypes: ['new_post'] }),
    { ok: true },
  );
  await publish(server.url, ana.token, 'While new posts are muted');
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 2, 'unread 2');

  assert.deepEqual(await app.core.updateSettings({ mutedTypes: [] }), { ok: true });
  assert.deepEqual(await app.core.pauseNotifications(60), { ok: true });
  await publish(server.url, ana.token, 'While paused');
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 3, 'unread 3');

  assert.deepEqual(await app.core.pauseNotifications(0), { ok: true });
  app.core.setInboxVisible(true);
  await publish(server.url, ana.token, 'While the inbox is showing');
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 4, 'unread 4');

  await settle(ALERTS_SETTLE_MS);
  assert.equal(app.notifications.length, 0);
  assert.equal(app.badges.at(-1)?.unreadCount, 4);

  app.core.setInboxVisible(false);
  await publish(server.url, ana.token, 'Back to normal');
  await waitFor(
    () => (app.notifications.length > 0 ? true : undefined),
    'a notification once unmuted',
  );
  assert.equal(app.notifications[0]?.notification.title, 'New post: Back to normal');
});

test('settings changes are validated, saved to the file, and bad ones change nothing', async () => {
  const { app } = await serverWithReader();
  const before = app.core.snapshot().settings;
  const refused = await app.core.updateSettings({
    quietHours: { enabled: true, start: '9pm', end: '07:00' },
  });
  assert.equal(refused.ok, false);
  assert.equal((await app.core.pauseNotifications(-5)).ok, false);
  assert.deepEqual(app.core.snapshot().settings, before);
  assert.deepEqual(
    await app.core.updateSettings({ quietHours: { enabled: true, start: '22:00', end: '07:00' } }),
    { ok: true },
  );
  const { readFile } = await import('node:fs/promises');
  const saved = JSON.parse(await readFile(app.settingsFile, 'utf8')) as {
    quietHours: unknown;
    serverUrl: string;
  };
  assert.deepEqual(saved.quietHours, { enabled: true, start: '22:00', end: '07:00' });
  assert.equal(saved.serverUrl, app.core.snapshot().account?.serverUrl);
});

test('a post link to another origin is never opened: the tray opens the server’s own /original page instead', async () => {
  const { server, ana, app } = await serverWithReader(['--public-url', 'http://blog.invalid']);
  const post = await publish(server.url, ana.token, 'Elsewhere');
  assert.match(post.url, /^http:\/\/blog\.invalid\//);
  const snapshot = await waitForSnapshot(app.core, (s) => s.inbox.items.length === 1, 'the item');
  const id = snapshot.inbox.items[0]?.id ?? '';
  const fallback = `${server.url}${postOriginalPath(post.id)}`;
  assert.equal(new URL(fallback).origin, new URL(server.url).origin);

  await waitFor(() => (app.notifications.length > 0 ? true : undefined), 'a notification');
  assert.deepEqual(app.notifications[0]?.notification.action, {
    kind: 'open-post',
    itemId: id,
    url: fallback,
  });
  app.notifications[0]?.click();
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 0, 'the click to mark it read');

  const result = await app.core.openItem(id);
  assert.deepEqual(result, { ok: true });
  assert.deepEqual(app.opened, [fallback, fallback], 'never the foreign link itself');
});

test('a post imported from another blog’s feed opens its original, through the server’s redirect', async () => {
  const feeds = await startFeedServer();
  defer(() => feeds.stop());
  const { server, ana, app } = await serverWithReader(FEED_ARGS);
  const original = 'https://elsewhere.example/2026/hello';
  const imported = await importPost(server.url, ana.token, feeds, {
    id: 'tag:elsewhere.example,2026:hello',
    title: 'Hello from elsewhere',
    link: original,
    html: '<p>Hello.</p>',
  });
  const snapshot = await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 1, 'unread 1');
  const item = snapshot.inbox.items[0];
  assert.equal(item && linkOf(item), original, 'the notification carries the original link');

  await waitFor(() => (app.notifications.length > 0 ? true : undefined), 'a notification');
  const [raised] = app.notifications;
  const page = `${server.url}${postOriginalPath(imported.id)}`;
  assert.deepEqual(raised?.notification.action, { kind: 'open-post', itemId: item?.id, url: page });
  raised?.click();
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 0, 'the click to mark it read');
  assert.deepEqual(app.opened, [page]);
  assert.equal(app.core.snapshot().notice, null, 'no "not opened" notice');

  // What the browser does with the page the tray opened.
  const followed = await fetch(page, { redirect: 'manual' });
  assert.equal(followed.status, 302);
  assert.equal(followed.headers.get('location'), original);

  assert.deepEqual(await app.core.openItem(item?.id ?? ''), { ok: true });
  assert.deepEqual(app.opened, [page, page]);
});

test('an announcement whose link is on another origin opens the inbox, never the link', async () => {
  const { server, ana, app } = await serverWithReader();
  const sent = await request(server.url, 'POST', API.announcements, {
    token: ana.token,
    json: { title: 'Moving house', url: 'https://elsewhere.example/news' },
  });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const snapshot = await waitForSnapshot(app.core, (s) => s.inbox.items.length === 1, 'the item');
  const id = snapshot.inbox.items[0]?.id ?? '';

  const result = await app.core.openItem(id);
  assert.equal(result.ok ? '' : result.code, 'unsafe_url');
  assert.match(app.core.snapshot().notice?.message ?? '', /not opened/);
  assert.equal(
    app.core.snapshot().inbox.unreadCount,
    1,
    'a refused link does not mark the item read',
  );

  await waitFor(() => (app.notifications.length > 0 ? true : undefined), 'a notification');
  assert.deepEqual(app.notifications[0]?.notification.action, { kind: 'open-inbox' });
  app.notifications[0]?.click();
  await settle(200);
  assert.deepEqual(app.opened, []);
});

test('sign-in says clearly what went wrong: wrong password, unreachable, not Tidings, bad input', async () => {
  const server = await startServer();
  cleanups.push(async () => {
    await server.stop();
    await server.cleanup();
  });
  await signUp(server.url, 'ana');
  const app = await createCoreUnderTest();
  cleanups.push(() => app.dispose());

  const wrong = await app.core.signIn({
    serverUrl: server.url,
    username: 'ana',
    password: 'not the password',
  });
  assert.deepEqual(wrong, {
    ok: false,
    code: 'unauthorized',
    message: 'Wrong username or password.',
  });

  const closed = createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const closedPort = (closed.address() as { port: number }).port;
  closed.close();
  await once(closed, 'close');
  const unreachable = await app.core.signIn({
    serverUrl: `http://127.0.0.1:${closedPort}`,
    username: 'ana',
    password: 'whatever1',
  });
  assert.equal(unreachable.ok ? '' : unreachable.code, 'unreachable');
  assert.match(unreachable.ok ? '' : unreachable.message, /Cannot reach/);

  const other: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<h1>My homepage</h1>');
  });
  other.listen(0, '127.0.0.1');
  await once(other, 'listening');
  cleanups.push(() => new Promise((resolve) => other.close(resolve)));
  const otherUrl = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
  const notTidings = await app.core.signIn({
    serverUrl: otherUrl,
    username: 'ana',
    password: 'whatever1',
  });
  assert.equal(notTidings.ok ? '' : notTidings.code, 'not_tidings');
  assert.deepEqual(await app.core.checkServer(otherUrl), notTidings);

  const moved = createServer((_req, res) => {
    res.writeHead(301, { location: 'https://blog.example/healthz' }).end();
  });
  moved.listen(0, '127.0.0.1');
  await once(moved, 'listening');
  cleanups.push(() => new Promise((resolve) => moved.close(resolve)));
  const movedUrl = `http://127.0.0.1:${(moved.address() as { port: number }).port}`;
  const redirected = await app.core.signIn({
    serverUrl: movedUrl,
    username: 'ana',
    password: 'whatever1',
  });
  assert.equal(
    redirected.ok ? '' : redirected.message,
    `${movedUrl} redirects to https://blog.example. Use that address instead.`,
  );

  const badUrl = await app.core.signIn({
    serverUrl: 'ftp://example.com',
    username: 'ana',
    password: 'x',
  });
  assert.equal(badUrl.ok ? '' : badUrl.code, 'invalid_url');
  const emptyName = await app.core.signIn({ serverUrl: server.url, username: '', password: 'x' });
  assert.equal(emptyName.ok ? '' : emptyName.code, 'invalid_payload');

  const health = await app.core.checkServer(server.url);
  assert.equal(health.ok, true);
  assert.equal(app.core.snapshot().status.state, 'signed-out');
  assert.equal(app.core.snapshot().account, null);
  assert.equal(app.tokens.size, 0, 'no failed sign-in leaves a token behind');
});

test('sign-out revokes the token on the server and forgets it on this computer', async () => {
  const { server, app } = await serverWithReader();
  const [token] = [...app.tokens.values()];
  assert.ok(token);
  assert.deepEqual(await app.core.signOut(), { ok: true });
  assert.equal(app.tokens.size, 0);
  assert.equal(app.core.snapshot().status.state, 'signed-out');
  assert.equal(app.core.snapshot().account, null);
  const me = await fetch(new URL('/api/me', server.url), {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(me.status, 401);
});

test('a mark-read the server never acknowledges is rolled back with a visible notice', async () => {
  const { server, ana, app } = await serverWithReader();
  await publish(server.url, ana.token, 'Read me');
  const snapshot = await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 1, 'unread 1');
  const id = snapshot.inbox.items[0]?.id ?? '';

  // A hung server: the process is alive and the socket open, but nothing answers.
  server.child.kill('SIGSTOP');
  cleanups.push(async () => void server.child.kill('SIGCONT'));
  const pending = app.core.markRead([id]);
  assert.equal(app.core.snapshot().inbox.unreadCount, 0, 'the UI updates at once');
  const result = await pending;
  server.child.kill('SIGCONT');
  assert.equal(result.ok, false);
  const after = app.core.snapshot();
  assert.equal(after.inbox.unreadCount, 1);
  assert.equal(after.inbox.items[0]?.read, false);
  assert.equal(after.notice?.kind, 'error');
  assert.match(after.notice?.message ?? '', /Could not mark as read/);
  await app.core.dismissNotice(after.notice?.id ?? -1);
  assert.equal(app.core.snapshot().notice, null);
});

test('quiet hours over midnight (on a hand-moved clock) hold the pop-up back, not the count', async () => {
  const { server, ana, ben } = await startBlog(defer);
  const clock = createFakeClock(new Date(2026, 0, 15, 23, 30).getTime());
  const app = await signedInCore(defer, server.url, ben, { clock });
  const quiet = { quietHours: { enabled: true, start: '22:00', end: '07:00' } };
  assert.deepEqual(await app.core.updateSettings(quiet), { ok: true });

  await publish(server.url, ana.token, 'Late at night');
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 1, 'unread 1 at 23:30');
  clock.advance(ALERT_RULES.gatherMaxMs);
  assert.equal(app.notifications.length, 0);
  assert.equal(clock.pending(), 0, 'nothing was queued for later');

  clock.advance(new Date(2026, 0, 16, 7, 0).getTime() - clock.now());
  await publish(server.url, ana.token, 'Good morning');
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 2, 'unread 2 at 07:00');
  assert.equal(app.notifications.length, 0, 'held until the batch closes');
  clock.advance(ALERT_RULES.gatherMaxMs);
  assert.deepEqual(
    app.notifications.map((raised) => raised.notification.title),
    ['New post: Good morning'],
  );
});
