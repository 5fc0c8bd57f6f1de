/**
 * Several accounts at once (createAccountsCore): a reader follows two blogs on two real Tidings
 * servers, and a third account on the first one. Each account has its own connection; the badge
 * sums them, items carry their account, and reading goes to the server the item came from.
 */
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountId } from '../../contract/accounts.js';
import type { AppSnapshot } from '../../contract/ipc.js';
import { linkOf } from '../../contract/wire.js';
import { ALERT_RULES } from '../../main/core/alertPolicy.js';
import { createAccountsCore } from '../../main/core/index.js';
import type { AccountsCore, BadgeSink } from '../../main/core/ports.js';
import { createFileSettingsStore } from '../../main/core/settings/fileSettingsStore.js';
import { publish, signUp, subscribe, unreadCount, type TestUser } from '../fixtures/api.js';
import {
  memoryCredentials,
  settle,
  startBlog,
  waitFor,
  waitForSnapshot,
  type RaisedNotification,
} from './coreHarness.js';

const cleanups: (() => Promise<unknown>)[] = [];
const defer = (cleanup: () => Promise<unknown>): void => void cleanups.push(cleanup);
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});
after(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

interface App {
  core: AccountsCore;
  badges: Parameters<BadgeSink['show']>[0][];
  notifications: RaisedNotification[];
  opened: string[];
  tokens: Map<string, string>;
  settingsFile: string;
}

async function accountsApp(dir?: string, tokens = new Map<string, string>()): Promise<App> {
  const home = dir ?? (await mkdtemp(join(tmpdir(), 'tidings-accounts-')));
  if (dir === undefined) defer(() => rm(home, { recursive: true, force: true }));
  const app: App = {
    core: undefined as unknown as AccountsCore, // assigned just below, before anyone reads it
    badges: [],
    notifications: [],
    opened: [],
    tokens,
    settingsFile: join(home, 'settings.json'),
  };
  app.core = createAccountsCore({
    credentials: memoryCredentials(tokens),
    settings: createFileSettingsStore(app.settingsFile, () => undefined),
    badge: { show: (badge) => void app.badges.push(badge) },
    notifier: {
      notify: (notification, click) => void app.notifications.push({ notification, click }),
    },
    opener: { open: async (url) => void app.opened.push(url) },
    log: () => undefined,
    deviceName: 'accounts test',
  });
  defer(() => app.core.stop());
  return app;
}

async function signIn(app: App, serverUrl: string, user: TestUser): Promise<void> {
  const result = await app.core.signIn({
    serverUrl,
    username: user.username,
    password: user.password,
  });
  assert.deepEqual(result, { ok: true });
}

const allOnline = (count: number) => (snapshot: AppSnapshot) =>
  snapshot.accounts?.length === count &&
  snapshot.accounts.every((account) => account.status.state === 'online');

test('two servers: both deliver, the badge sums them, items carry their account, and reading goes to the right server', async () => {
  const blogA = await startBlog(defer);
  const blogB = await startBlog(defer);
  const app = await accountsApp();
  await signIn(app, blogA.server.url, blogA.ben);
  await signIn(app, blogB.server.url, blogB.ben);
  await waitForSnapshot(app.core, allOnline(2), 'both accounts online');
  const idA = accountId({ serverUrl: blogA.server.url, username: 'ben' });
  const idB = accountId({ serverUrl: blogB.server.url, username: 'ben' });
  assert.deepEqual(
    app.core.snapshot().accounts?.map((account) => account.id),
    [idA, idB],
  );

  const postA = await publish(blogA.server.url, blogA.ana.token, 'Morning on A');
  await settle(ALERT_RULES.gatherMaxMs + 750);
  const postB = await publish(blogB.server.url, blogB.ana.token, 'Evening on B');
  await publish(blogB.server.url, blogB.ana.token, 'Night on B');
  const snapshot = await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 3, 'unread 3');

  // The badge and its tooltip sum both accounts.
  assert.equal(app.badges.at(-1)?.unreadCount, 3);
  assert.equal(app.badges.at(-1)?.tooltip, 'Tidings: 3 unread in 2 accounts');
  // Newest first across accounts, each item tagged with its account.
  assert.deepEqual(
    snapshot.inbox.items.map((item) => [item.account, 'post' in item ? item.post.title : '']),
    [
      [idB, 'Night on B'],
      [idB, 'Evening on B'],
      [idA, 'Morning on A'],
    ],
  );
  assert.deepEqual(
    snapshot.accounts?.map((account) => account.unreadCount),
    [1, 2],
  );

  // Notifications come from both accounts, named by account; a click opens the post on its own
  // server (each account's own origin guard lets it through).
  await waitFor(
    () => (app.notifications.length >= 2 ? true : undefined),
    'a notification from each account',
  );
  const fromA = app.notifications.find((raised) => raised.notification.account === idA);
  const fromB = app.notifications.find((raised) => raised.notification.account === idB);
  assert.ok(fromA && fromB, JSON.stringify(app.notifications.map((n) => n.notification)));
  assert.match(
    fromA.notification.title,
    new RegExp(`^ben@127\\.0\\.0\\.1:${new URL(blogA.server.url).port}: `),
  );
  fromA.click();
  await waitFor(() => (app.opened.includes(postA.url) ? true : undefined), 'A’s post opened');
  assert.ok(postA.url.startsWith(blogA.server.url));
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 2, 'A’s item read by the click');
  assert.equal(await unreadCount(blogA.server.url, blogA.ben.token), 0);
  assert.equal(await unreadCount(blogB.server.url, blogB.ben.token), 2);

  // Mark read on one item of B goes to B alone.
  const itemB = snapshot.inbox.items.find(
    (item) => item.account === idB && linkOf(item) === postB.url,
  );
  assert.ok(itemB);
  assert.deepEqual(await app.core.markRead([itemB.id], idB), { ok: true });
  assert.equal(await unreadCount(blogB.server.url, blogB.ben.token), 1);
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 1, 'unread 1');
  assert.equal(app.badges.at(-1)?.unreadCount, 1);

  // Mark all read for what a filter on A shows changes nothing on B.
  await publish(blogA.server.url, blogA.ana.token, 'Noon on A');
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 2, 'unread 2');
  assert.deepEqual(await app.core.markAllRead([idA]), { ok: true });
  assert.equal(await unreadCount(blogA.server.url, blogA.ben.token), 0);
  assert.equal(await unreadCount(blogB.server.url, blogB.ben.token), 1);
  assert.deepEqual(await app.core.markAllRead(), { ok: true });
  assert.equal(await unreadCount(blogB.server.url, blogB.ben.token), 0);
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 0, 'all read');
  assert.equal(app.badges.at(-1)?.unreadCount, 0);
});

test('two users of one server get the same post: each account reads its own copy, and removing one leaves the other', async () => {
  const blog = await startBlog(defer);
  const cy = await signUp(blog.server.url, 'cyd');
  await subscribe(blog.server.url, cy.token);
  const app = await accountsApp();
  await signIn(app, blog.server.url, blog.ben);
  await signIn(app, blog.server.url, cy);
  await waitForSnapshot(app.core, allOnline(2), 'both accounts online');
  const idBen = accountId({ serverUrl: blog.server.url, username: 'ben' });
  const idCy = accountId({ serverUrl: blog.server.url, username: 'cyd' });

  await publish(blog.server.url, blog.ana.token, 'One post, two readers');
  const snapshot = await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 2, 'unread 2');
  const [first, second] = snapshot.inbox.items;
  // One event on the server, so the same id in both inboxes: only the account tells them apart.
  assert.equal(first?.id, second?.id);
  assert.deepEqual(new Set([first?.account, second?.account]), new Set([idBen, idCy]));
  // Without an account the id is ambiguous: refused rather than guessed.
  const ambiguous = await app.core.markRead([first?.id ?? '']);
  assert.equal(ambiguous.ok, false);
  assert.deepEqual(await app.core.markRead([first?.id ?? ''], idCy), { ok: true });
  assert.equal(await unreadCount(blog.server.url, cy.token), 0);
  assert.equal(await unreadCount(blog.server.url, blog.ben.token), 1);

  // Removing cy signs cy out on the server, deletes cy's token, and leaves ben as he was.
  assert.equal(app.tokens.size, 2);
  assert.deepEqual(await app.core.removeAccount(idCy), { ok: true });
  const after = app.core.snapshot();
  assert.deepEqual(
    after.accounts?.map((account) => account.id),
    [idBen],
  );
  assert.deepEqual([...app.tokens.keys()], [idBen]);
  assert.equal(after.inbox.unreadCount, 1);
  assert.ok(after.inbox.items.every((item) => item.account === idBen));
  assert.equal(app.badges.at(-1)?.unreadCount, 1);
  const settings = JSON.parse(await readFile(app.settingsFile, 'utf8')) as {
    accounts: unknown[];
  };
  assert.deepEqual(settings.accounts, [{ serverUrl: blog.server.url, username: 'ben' }]);
  assert.deepEqual((await app.core.removeAccount(idCy)).ok, false);
});

test('one account stays as simple as before: its snapshot, tooltip and intents need no account', async () => {
  const blog = await startBlog(defer);
  const app = await accountsApp();
  await signIn(app, blog.server.url, blog.ben);
  await waitForSnapshot(app.core, allOnline(1), 'online');
  assert.equal(app.badges.at(-1)?.tooltip, 'Tidings: 0 unread');
  await publish(blog.server.url, blog.ana.token, 'Just one');
  const snapshot = await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 1, 'unread 1');
  assert.deepEqual(snapshot.account, { serverUrl: blog.server.url, username: 'ben' });
  assert.deepEqual(await app.core.markRead([snapshot.inbox.items[0]?.id ?? '']), { ok: true });
  assert.equal(await unreadCount(blog.server.url, blog.ben.token), 0);
  // Signing out of the one account leaves the app signed out, as it always did.
  assert.deepEqual(await app.core.signOut(), { ok: true });
  assert.equal(app.core.snapshot().account, null);
  assert.deepEqual(app.core.snapshot().accounts, []);
  assert.equal(app.tokens.size, 0);
});

test('a restart restores both accounts from settings and the keychain, in their order, both connected', async () => {
  const blogA = await startBlog(defer);
  const blogB = await startBlog(defer);
  const dir = await mkdtemp(join(tmpdir(), 'tidings-accounts-'));
  defer(() => rm(dir, { recursive: true, force: true }));
  const tokens = new Map<string, string>();
  const first = await accountsApp(dir, tokens);
  await signIn(first, blogA.server.url, blogA.ben);
  await signIn(first, blogB.server.url, blogB.ben);
  await waitForSnapshot(first.core, allOnline(2), 'both accounts online');
  await first.core.stop();
  // Missed while the app was closed: caught up on start, on each server.
  await publish(blogA.server.url, blogA.ana.token, 'While away on A');
  await publish(blogB.server.url, blogB.ana.token, 'While away on B');

  const second = await accountsApp(dir, tokens);
  await second.core.start();
  const snapshot = await waitForSnapshot(
    second.core,
    (s) => allOnline(2)(s) && s.inbox.unreadCount === 2,
    'both accounts back, with what they missed',
  );
  assert.deepEqual(
    snapshot.accounts?.map((account) => [account.serverUrl, account.username, account.unreadCount]),
    [
      [blogA.server.url, 'ben', 1],
      [blogB.server.url, 'ben', 1],
    ],
  );
  assert.equal(second.badges.at(-1)?.unreadCount, 2);
});
