/**
 * The tray app end to end, in real Electron through Playwright's `_electron`: it starts against a
 * real server; the page has no `require`, and may neither navigate away nor open windows; the tray
 * menu has its items; a reader signs in through the window, a post by the author moves the tray
 * tooltip and raises one notification, and clicking it marks the post read on the server; a burst
 * of posts becomes one summary whose click opens the inbox, focused. The tray's "About Tidings"
 * opens the About view (this build's version, the server and its version, "does not update
 * itself" when unpackaged), and Settings has the private certificate authority's field, which
 * refuses a file that is not a certificate and keeps the setting. A second account on a second
 * server, added through Settings → Add account, is summed in the tray's tooltip and can be picked
 * alone with the inbox's account filter.
 *
 * Electron's binary is downloaded from GitHub on first use, which some machines (CI sandboxes,
 * this project's build machines) cannot do. Without a binary this test reports itself SKIPPED with
 * the reason, so it never counts as passed.
 *
 * It runs the app in its own session bus with a gnome-keyring (the token goes to the keychain) and,
 * without a display, under Xvfb. Everything it starts is stopped by PID at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication } from 'playwright';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';
import { accountId, accountLabel } from '../../contract/accounts.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { publish, signUp, subscribe, unreadCount } from '../fixtures/api.js';
import { waitUntil } from '../fixtures/sockets.js';
import { startKeyring, startSessionBus, startXvfb, stopAll } from '../fixtures/desktopSession.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const binary = findElectronBinary();

test('the tray app in real Electron: locked-down page, tray menu, sign in, a notification and its click, a summary’s click, About, the CA field and a second account', async (t) => {
  if (!binary) {
    t.skip(
      'Electron e2e did not run: no Electron binary in node_modules/electron/dist (its download from GitHub is not possible here)',
    );
    return;
  }
  const started: ChildProcess[] = [];
  let server: RunningServer | null = null;
  let secondServer: RunningServer | null = null;
  let app: ElectronApplication | null = null;
  const home = await mkdtemp(join(tmpdir(), 'tidings-e2e-'));
  try {
    const blog = await startServer();
    server = blog;
    const author = await signUp(blog.url, 'ana');
    const reader = await signUp(blog.url, 'ben');
    await subscribe(blog.url, reader.token);

    const bus = await startSessionBus(home, started);
    await startKeyring(home, bus, started);
    const display = process.env['DISPLAY'] ?? (await startXvfb(started));
    const electronApp = await _electron.launch({
      executablePath: binary,
      args: [ROOT, '--no-sandbox'],
      cwd: ROOT,
      env: {
        ...process.env,
        HOME: home,
        DISPLAY: display,
        DBUS_SESSION_BUS_ADDRESS: bus,
        TIDINGS_E2E: '1',
        TIDINGS_USER_DATA: join(home, 'user-data'),
        TIDINGS_FIRST_RUN: 'connect',
      },
      timeout: 30_000,
    });
    app = electronApp;

    const window = await electronApp.firstWindow();
    await window.waitForLoadState('domcontentloaded');

    // The page is sandboxed: no Node in it, no way out of it.
    assert.equal(await window.evaluate('typeof require'), 'undefined', 'the page has no require');
    assert.equal(await window.evaluate('typeof process'), 'undefined', 'nor process');
    const pageUrl = window.url();
    await window.evaluate("location.href = 'https://example.org/'").catch(() => undefined);
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
    assert.equal(window.url(), pageUrl, 'navigation away is refused');
    assert.equal(
      await window.evaluate("window.open('https://example.org/') === null"),
      true,
      'window.open is refused',
    );
    assert.equal(electronApp.windows().length, 1, 'no second window appeared');

    const menu = await electronApp.evaluate(() => globalThis.tidingsE2E?.menuLabels() ?? []);
    assert.deepEqual(menu, [
      'Open inbox',
      'Mark all read',
      'Pause notifications for 1 hour',
      'Settings…',
      'Sign out',
      'Check for updates…',
      'About Tidings',
      'Quit Tidings',
    ]);

    await window.getByLabel('Server').fill(blog.url);
    await window.getByLabel('Username').fill(reader.username);
    await window.getByLabel('Password').fill(reader.password);
    await window.getByRole('button', { name: 'Sign in' }).click();
    await window.getByRole('heading', { name: 'Inbox' }).waitFor({ timeout: 15_000 });

    const tooltip = () => electronApp.evaluate(() => globalThis.tidingsE2E?.tooltip() ?? '');
    await waitUntil(async () => (await tooltip()) === 'Tidings: 0 unread', 'tooltip "0 unread"');

    // The user is looking at the inbox: hide it so the core raises a native notification.
    await electronApp.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().forEach((w) => w.hide()),
    );
    const post = await publish(blog.url, author.token, 'Tray apps, end to end');
    await waitUntil(async () => (await tooltip()) === 'Tidings: 1 unread', 'tooltip "1 unread"');
    await waitUntil(
      async () =>
        (await electronApp.evaluate(() => globalThis.tidingsE2E?.notifications.length ?? 0)) === 1,
      'one notification',
    );
    const shown = await electronApp.evaluate(
      () => globalThis.tidingsE2E?.notifications[0]?.notification,
    );
    assert.match(`${shown?.title ?? ''} ${shown?.body ?? ''}`, /Tray apps, end to end/);

    await electronApp.evaluate(() => globalThis.tidingsE2E?.notifications[0]?.click());
    await waitUntil(
      async () => (await unreadCount(blog.url, reader.token)) === 0,
      'read on the server',
    );
    await waitUntil(async () => (await tooltip()) === 'Tidings: 0 unread', 'tooltip back to 0');
    const opened = await electronApp.evaluate(() => globalThis.tidingsE2E?.openedUrls ?? []);
    assert.deepEqual(opened, [post.url], 'the click opens that post');

    // A burst of posts: one summary toast, whose click opens the inbox window, focused.
    for (let n = 1; n <= 5; n += 1) await publish(blog.url, author.token, `Burst ${n}`);
    await waitUntil(
      async () =>
        (await electronApp.evaluate(() => globalThis.tidingsE2E?.notifications.length ?? 0)) === 2,
      'one summary notification',
    );
    const summary = await electronApp.evaluate(
      () => globalThis.tidingsE2E?.notifications[1]?.notification,
    );
    assert.match(summary?.title ?? '', /5 new posts/);
    assert.equal(await electronApp.evaluate(() => globalThis.tidingsE2E?.inboxShown()), false);
    await electronApp.evaluate(() => globalThis.tidingsE2E?.notifications[1]?.click());
    await waitUntil(
      async () => (await electronApp.evaluate(() => globalThis.tidingsE2E?.inboxShown())) === true,
      'the inbox open and focused',
    );

    // The tray's About opens the About view in the window.
    assert.equal(
      await electronApp.evaluate(() => globalThis.tidingsE2E?.chooseMenuItem('About Tidings')),
      true,
    );
    await window.getByRole('heading', { name: 'About Tidings' }).waitFor();
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(await window.locator('.app-version').textContent(), pkg.version);
    assert.equal(await window.locator('.server-url').textContent(), blog.url);
    const health = (await (await fetch(`${blog.url}/healthz`)).json()) as { version: string };
    await window.locator('.server-version').filter({ hasText: health.version }).waitFor();
    // Run from the source tree, the app is unpackaged: it says it does not update itself.
    await window.getByText(/does not update itself/).waitFor();

    // Settings' certificate authority: a file that is not a certificate is refused, nothing kept.
    await window.getByRole('button', { name: 'Back to inbox' }).click();
    await window.getByRole('button', { name: 'Settings' }).click();
    await window.getByRole('heading', { name: 'Private certificate authority' }).waitFor();
    const notPem = join(home, 'not-a-ca.pem');
    await writeFile(notPem, 'not a certificate\n');
    await window.getByLabel('Certificate file').fill(notPem);
    await window.getByRole('button', { name: 'Use this file' }).click();
    await window
      .locator('#setting-ca-error')
      .filter({ hasText: /holds no PEM certificate/ })
      .waitFor();
    await window.getByText('Only the system’s authorities are trusted.').waitFor();

    // A second account, on a second server, added from Settings: the tray's tooltip sums both,
    // and the inbox gains an account filter that shows one account's items alone.
    const otherBlog = await startServer();
    secondServer = otherBlog;
    const otherAuthor = await signUp(otherBlog.url, 'cleo');
    const otherReader = await signUp(otherBlog.url, 'dan');
    await subscribe(otherBlog.url, otherReader.token);
    await window.getByRole('button', { name: 'Add account' }).click();
    await window.getByRole('heading', { name: 'Add account' }).waitFor();
    await window.getByLabel('Server').fill(otherBlog.url);
    await window.getByLabel('Username').fill(otherReader.username);
    await window.getByLabel('Password').fill(otherReader.password);
    await window.getByRole('button', { name: 'Sign in' }).click();
    await window.getByRole('heading', { name: 'Settings' }).waitFor({ timeout: 15_000 });
    const accounts = window.getByRole('region', { name: 'Accounts' });
    const otherAccount = { serverUrl: otherBlog.url, username: otherReader.username };
    await accounts.getByText(accountLabel(otherAccount)).waitFor();

    await publish(otherBlog.url, otherAuthor.token, 'From the second blog');
    // The sum is read from both servers, so the burst above needs no bookkeeping here.
    await waitUntil(async () => {
      const sum =
        (await unreadCount(blog.url, reader.token)) +
        (await unreadCount(otherBlog.url, otherReader.token));
      return (await tooltip()) === `Tidings: ${sum} unread in 2 accounts`;
    }, 'the tooltip sums both accounts');

    await window.getByRole('button', { name: 'Back to inbox' }).click();
    const second = window.getByRole('article').filter({ hasText: 'From the second blog' });
    await second.waitFor();
    await window.getByLabel('Account', { exact: true }).selectOption(accountId(otherAccount));
    await waitUntil(
      async () => (await window.getByRole('article').count()) === 1,
      'only the second account’s item',
    );
    assert.equal(await second.locator('.item-account').innerText(), accountLabel(otherAccount));
  } finally {
    await app?.close().catch(() => undefined);
    stopAll(started);
    await server?.stop();
    await server?.cleanup();
    await secondServer?.stop();
    await secondServer?.cleanup();
    await rm(home, { recursive: true, force: true });
  }
});
