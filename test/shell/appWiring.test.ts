/**
 * The real built app.js, run in plain Node with a stand-in `electron` module (electronStandIn.ts)
 * and a real server, on this machine's OS (Linux): on a first run the tray appears with the
 * signed-out mark and the core's tooltip, the window opens locked down, every IPC channel answers
 * only the inbox window, a server check goes through to the real server, closing the window keeps
 * the app in the tray, notifications reach the OS escaped and a summary's click opens the inbox,
 * the window behaves as a popover, the offline tooltip counts down, and quit stops everything
 * before exiting. appWindows.test.ts and appMac.test.ts run the same app as Windows and macOS.
 * Real Electron is covered by test/e2e/electron.test.ts wherever its binary exists.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IPC_CHANNELS, type AppSnapshot } from '../../contract/ipc.js';
import { createKeytarCredentials } from '../../main/core/credentials/keytarCredentials.js';
import { publish, setAuthor, signUp, subscribe } from '../fixtures/api.js';
import { startKeyring, startSessionBus, stopAll } from '../fixtures/desktopSession.js';
import { assertKeyringToolsInstalled } from '../fixtures/keyring.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { waitUntil } from '../fixtures/sockets.js';
import { routeElectronToStandIn } from './electronLoader.js';
import {
  preventableEvent,
  recorded,
  screen,
  type FakeNotification,
  type FakeWebContents,
} from './electronStandIn.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const APP = join(ROOT, 'dist', 'main', 'electron', 'app.js');
const PAGE = join(ROOT, 'dist', 'renderer', 'index.html');

let server: RunningServer;
let userData = '';
const started: ChildProcess[] = [];

before(async () => {
  assert.ok(existsSync(APP), `${APP} is missing: run node scripts/build.mjs first`);
  assertKeyringToolsInstalled();
  server = await startServer();
  userData = await mkdtemp(join(tmpdir(), 'tidings-shell-'));
  // Signing in stores the token in a real keychain: a gnome-keyring on a bus of our own.
  const bus = await startSessionBus(userData, started);
  await startKeyring(userData, bus, started);
  process.env['DBUS_SESSION_BUS_ADDRESS'] = bus;
  process.env['TIDINGS_USER_DATA'] = userData;
  process.env['TIDINGS_FIRST_RUN'] = 'connect';
  // Start-at-login writes an XDG autostart entry on Linux: keep it out of the real home.
  process.env['XDG_CONFIG_HOME'] = join(userData, 'config');
  routeElectronToStandIn();
  await import(pathToFileURL(APP).href);
  await waitUntil(() => recorded.windows.length === 1 && recorded.trays.length === 1, 'app start');
});

after(async () => {
  stopAll(started);
  await server?.stop();
  await server?.cleanup();
  if (userData) await rm(userData, { recursive: true, force: true });
});

const inbox = () => {
  const window = recorded.windows[0];
  assert.ok(window, 'no inbox window');
  return window;
};

/** An IPC call as Electron delivers it: the sender and its frame. */
function invoke(channel: string, args: unknown[], from: FakeWebContents, frameUrl: string) {
  const handler = recorded.handlers.get(channel);
  assert.ok(handler, `no handler for ${channel}`);
  const event = { sender: from, senderFrame: { url: frameUrl, parent: null } };
  return handler(event, ...args) as Promise<unknown>;
}

describe('a first run of the tray app', () => {
  test('shows the tray with the signed-out mark, the core’s tooltip and the everyday menu', async () => {
    const tray = recorded.trays[0];
    assert.ok(tray);
    await waitUntil(() => tray.tooltip === 'Tidings: signed out', 'the signed-out tooltip');
    // Linux cannot tell the panel's colour: the set that reads on light and dark panels.
    assert.match(tray.image.path, /assets[\\/]tray[\\/]any[\\/]tray-signed-out\.png$/);
    for (const path of recorded.images)
      assert.ok(existsSync(path), `the app loads ${path}, which is missing`);
    assert.deepEqual(
      tray.menu.filter((item) => item.label).map((item) => item.label),
      [
        'Open inbox',
        'Mark all read',
        'Pause notifications for 1 hour',
        'Settings…',
        'Sign out',
        'Check for updates…',
        'About Tidings',
        'Quit Tidings',
      ],
    );
    assert.ok(tray.contextMenu, 'Linux needs the menu set on the tray (setContextMenu)');
    const signOut = tray.menu.find((item) => item.label === 'Sign out');
    assert.equal(signOut?.enabled, false, 'nothing to sign out of yet');
  });

  test('opens the inbox window on the app’s own page, isolated and sandboxed', () => {
    const window = inbox();
    const prefs = window.options['webPreferences'] as Record<string, unknown>;
    assert.equal(prefs['contextIsolation'], true);
    assert.equal(prefs['sandbox'], true);
    assert.equal(prefs['nodeIntegration'], false);
    assert.ok(existsSync(prefs['preload'] as string), 'the preload the window uses exists');
    assert.equal(window.loaded[0]?.[0], PAGE);
    assert.equal(window.isVisible(), true, 'a first run shows the window');
  });

  test('locks every web contents and the session down', () => {
    const contents = inbox().webContents;
    const navigation = preventableEvent();
    contents.emit('will-navigate', navigation, 'https://evil.example/');
    assert.equal(navigation.defaultPrevented, true, 'navigation away is blocked');
    const reload = preventableEvent();
    contents.emit('will-navigate', reload, pathToFileURL(PAGE).href);
    assert.equal(reload.defaultPrevented, false, 'its own page may reload');
    assert.deepEqual(contents.windowOpenHandler?.({ url: 'https://evil.example/' }), {
      action: 'deny',
    });

    let granted: unknown = 'not called';
    recorded.permissionRequestHandler?.(contents, 'media', (value: unknown) => (granted = value));
    assert.equal(granted, false);
    let cancelled: unknown;
    recorded.beforeRequest?.(
      { url: 'https://cdn.example/x.js' },
      (r: { cancel: boolean }) => (cancelled = r.cancel),
    );
    assert.equal(cancelled, true, 'remote requests are cancelled');
  });

  test('answers IPC from the inbox window only, and reaches the real server through the core', async () => {
    const contents = inbox().webContents;
    const pageUrl = pathToFileURL(PAGE).href;
    const expected = Object.values(IPC_CHANNELS).filter((c) => c !== IPC_CHANNELS.snapshot);
    assert.deepEqual([...recorded.handlers.keys()].sort(), [...expected].sort());

    const snapshot = (await invoke(IPC_CHANNELS.getSnapshot, [], contents, pageUrl)) as AppSnapshot;
    assert.equal(snapshot.account, null);
    assert.equal(snapshot.status.state, 'signed-out');

    const stranger = { ...contents, id: contents.id + 1000 } as FakeWebContents;
    assert.deepEqual(await invoke(IPC_CHANNELS.getSnapshot, [], stranger, pageUrl), {
      ok: false,
      code: 'forbidden',
      message: 'This window may not talk to Tidings.',
    });
    const elsewhere = (await invoke(
      IPC_CHANNELS.signOut,
      [],
      contents,
      'https://evil.example/',
    )) as {
      code: string;
    };
    assert.equal(elsewhere.code, 'forbidden');

    const checked = (await invoke(IPC_CHANNELS.checkServer, [server.url], contents, pageUrl)) as {
      ok: boolean;
    };
    assert.equal(checked.ok, true, `checkServer(${server.url}): ${JSON.stringify(checked)}`);
    const bad = (await invoke(IPC_CHANNELS.markRead, ['not-a-list'], contents, pageUrl)) as {
      code: string;
    };
    assert.equal(bad.code, 'invalid_payload');
  });

  test('start at login, switched on in settings, writes an autostart entry; off removes it', async () => {
    const contents = inbox().webContents;
    const pageUrl = pathToFileURL(PAGE).href;
    const entry = join(userData, 'config', 'autostart', 'tidings.desktop');
    const on = await invoke(
      IPC_CHANNELS.updateSettings,
      [{ startAtLogin: true }],
      contents,
      pageUrl,
    );
    assert.deepEqual(on, { ok: true });
    if (process.platform === 'linux') {
      await waitUntil(() => existsSync(entry), 'the autostart entry');
      const text = await readFile(entry, 'utf8');
      assert.match(text, /^\[Desktop Entry\]$/m);
      assert.match(text, new RegExp(`^Exec="${escapeRegExp(process.execPath)}" ".+"$`, 'm'));
    } else {
      assert.deepEqual(recorded.loginItems.at(-1), { openAtLogin: true });
    }
    await invoke(IPC_CHANNELS.updateSettings, [{ startAtLogin: false }], contents, pageUrl);
    if (process.platform === 'linux')
      await waitUntil(() => !existsSync(entry), 'the entry removed');
  });

  test('the application menu has the Edit roles, and Reload and DevTools only unpackaged', () => {
    const roles = JSON.stringify(recorded.applicationMenu?.items ?? null);
    assert.match(roles, /"role":"editMenu"/);
    // The stand-in runs unpackaged, so the development tools are there; appMenu.test.ts checks
    // that a packaged build has none.
    assert.match(roles, /"role":"toggleDevTools"/);
  });

  test('closing the window keeps the app in the tray; a tray click brings it back', () => {
    const window = inbox();
    window.userCloses();
    assert.equal(window.isDestroyed(), false);
    assert.equal(window.isVisible(), false);
    recorded.trays[0]?.userClicks();
    assert.equal(window.isVisible(), true);
  });

  test('the window is a popover: it hides on blur and on Esc, and a tray click just after a blur-hide leaves it hidden', async () => {
    const window = inbox();
    const tray = recorded.trays[0];
    assert.ok(tray);
    assert.equal(window.isVisible(), true);
    // Windows and most Linux desktops take the focus from the window before the tray's 'click'
    // arrives: the click that caused the blur means "close", as a popover does.
    window.userClicksElsewhere();
    assert.equal(window.isVisible(), false, 'a click elsewhere hides it');
    tray.userClicks();
    assert.equal(window.isVisible(), false, 'the toggle closes it rather than reopening it');

    // A later click, not the one that took the focus away, opens it again.
    await new Promise((resolve) => setTimeout(resolve, 400));
    tray.userClicks();
    assert.equal(window.isVisible(), true, 'a tray click opens it again');
    const esc = window.userPresses('Escape');
    assert.equal(esc.defaultPrevented, true);
    assert.equal(window.isVisible(), false, 'Esc hides it');
    tray.userClicks();
    window.userPresses('a');
    assert.equal(window.isVisible(), true, 'other keys leave it open');
  });

  test('the popover opens at the tray icon, inside the work area (Linux: at the pointer)', () => {
    const window = inbox();
    window.hide();
    // A GNOME-like top bar: no tray bounds, the pointer at the icon in the top-right corner.
    screen.workArea = { x: 0, y: 32, width: 1920, height: 1048 };
    screen.cursor = { x: 1890, y: 12 };
    recorded.trays[0]?.userClicks();
    const [x, y] = window.position;
    const [width] = window.getSize();
    assert.equal(x + width, 1920, 'flush with the right edge of the work area');
    assert.ok(y >= 32 && y < 60, `just under the top bar, got y=${y}`);
  });

  test('the global shortcut opens the inbox; it can be changed or turned off; a taken one is reported, not fatal', async () => {
    const window = inbox();
    const contents = window.webContents;
    const pageUrl = pathToFileURL(PAGE).href;
    const press = recorded.shortcuts.get('CommandOrControl+Alt+Shift+T');
    assert.ok(press, 'the default shortcut is registered');
    window.hide();
    press();
    assert.equal(window.isVisible(), true, 'the shortcut opens the inbox');

    recorded.takenShortcuts.add('CommandOrControl+Alt+K');
    const before = recorded.notifications.length;
    assert.deepEqual(
      await invoke(
        IPC_CHANNELS.updateSettings,
        [{ inboxShortcut: 'CommandOrControl+Alt+K' }],
        contents,
        pageUrl,
      ),
      { ok: true },
    );
    await waitUntil(() => recorded.notifications.length > before, 'the failure shown');
    assert.match(
      String(recorded.notifications.at(-1)?.options['body']),
      /CommandOrControl\+Alt\+K is taken by another app .* Pick another one in Settings/,
    );
    assert.equal(recorded.shortcuts.size, 0, 'the old one is released');

    await invoke(
      IPC_CHANNELS.updateSettings,
      [{ inboxShortcut: 'Alt+Shift+I' }],
      contents,
      pageUrl,
    );
    await waitUntil(() => recorded.shortcuts.has('Alt+Shift+I'), 'the new shortcut');
    await invoke(IPC_CHANNELS.updateSettings, [{ inboxShortcut: '' }], contents, pageUrl);
    await waitUntil(() => recorded.shortcuts.size === 0, 'no shortcut once turned off');

    const bad = (await invoke(
      IPC_CHANNELS.updateSettings,
      [{ inboxShortcut: 'T' }],
      contents,
      pageUrl,
    )) as { code: string };
    assert.equal(bad.code, 'invalid_payload', 'a bare key would steal typing from every app');
  });

  test('a summary notification’s click opens the inbox window, in front and focused', async () => {
    const window = inbox();
    const contents = window.webContents;
    const pageUrl = pathToFileURL(PAGE).href;
    const ana = await signUp(server.url, 'ana');
    await setAuthor(server.url, ana.token, 'ana');
    const ben = await signUp(server.url, 'ben');
    await subscribe(server.url, ben.token);
    const signedIn = await invoke(
      IPC_CHANNELS.signIn,
      [{ serverUrl: server.url, username: 'ben', password: ben.password }],
      contents,
      pageUrl,
    );
    assert.deepEqual(signedIn, { ok: true });
    await waitUntil(() => recorded.trays[0]?.tooltip === 'Tidings: 0 unread', 'signed in');
    window.hide();
    const before = recorded.notifications.length;
    // More posts at once than the burst threshold: one summary toast, "5 new posts".
    for (let n = 1; n <= 5; n += 1) await publish(server.url, ana.token, `Post ${n}`);
    await waitUntil(
      () => recorded.notifications.length > before,
      'the summary notification',
      10_000,
    );
    const summary = recorded.notifications.at(-1) as FakeNotification;
    assert.match(String(summary.options['title']), /5 new posts/);
    assert.equal(window.isVisible(), false);
    summary.userClicks();
    assert.equal(window.isVisible(), true, 'the click opens the inbox');
    assert.equal(window.isFocused(), true, 'and focuses it');
    assert.deepEqual(recorded.openedExternal, [], 'a summary opens no browser');
  });

  test('a Linux notification body reaches the notification service with its markup escaped', async () => {
    const window = inbox();
    window.hide();
    const author = await signUpAuthor('cleo');
    const before = recorded.notifications.length;
    await publish(server.url, author.token, 'Tom & Jerry <a href="https://evil.example/">x</a>');
    await waitUntil(() => recorded.notifications.length > before, 'the notification', 10_000);
    const toast = recorded.notifications.at(-1) as FakeNotification;
    assert.equal(
      toast.options['body'],
      'cleo published “Tom &amp; Jerry &lt;a href="https://evil.example/"&gt;x&lt;/a&gt;”',
    );
    assert.deepEqual(toast.options['actions'], [], 'no buttons on Linux');
  });

  test('a second account on another server: the tray sums both, its toasts name it; removing it deletes its token from the keychain', async () => {
    const window = inbox();
    const contents = window.webContents;
    const pageUrl = pathToFileURL(PAGE).href;
    const tray = recorded.trays[0];
    assert.ok(tray);
    const other = await startServer();
    try {
      const otherAuthor = await signUp(other.url, 'otto');
      const otherBen = await signUp(other.url, 'ben');
      await subscribe(other.url, otherBen.token);
      const unreadBefore = Number(/(\d+) unread/.exec(tray.tooltip)?.[1]);
      assert.ok(Number.isInteger(unreadBefore), tray.tooltip);

      const added = await invoke(
        IPC_CHANNELS.signIn,
        [{ serverUrl: other.url, username: 'ben', password: otherBen.password }],
        contents,
        pageUrl,
      );
      assert.deepEqual(added, { ok: true });
      const otherId = `${other.url}#ben`;
      const keychain = createKeytarCredentials();
      assert.ok(await keychain.getToken(otherId), 'the new account’s token is in the keychain');

      // No second line: both accounts are online (one that is not is named on a line of its own).
      await waitUntil(
        () => tray.tooltip === `Tidings: ${unreadBefore} unread in 2 accounts`,
        'both accounts online',
        10_000,
      );
      window.hide();
      const before = recorded.notifications.length;
      await publish(other.url, otherAuthor.token, 'From the other blog');
      await waitUntil(
        () => tray.tooltip === `Tidings: ${unreadBefore + 1} unread in 2 accounts`,
        'the tooltip summing both accounts',
        10_000,
      );
      await waitUntil(() => recorded.notifications.length > before, 'its toast', 10_000);
      const toast = recorded.notifications.at(-1) as FakeNotification;
      assert.equal(
        toast.options['title'],
        `ben@${new URL(other.url).host}: New post: From the other blog`,
      );

      const removed = await invoke(IPC_CHANNELS.removeAccount, [otherId], contents, pageUrl);
      assert.deepEqual(removed, { ok: true });
      await waitUntil(
        () => tray.tooltip === `Tidings: ${unreadBefore} unread`,
        'the tooltip back to the first account alone',
      );
      assert.equal(await keychain.getToken(otherId), null, 'its token left the keychain');
      assert.ok(await keychain.getToken(`${server.url}#ben`), 'the first account’s token stays');
      const snapshot = (await invoke(
        IPC_CHANNELS.getSnapshot,
        [],
        contents,
        pageUrl,
      )) as AppSnapshot;
      assert.deepEqual(
        snapshot.accounts?.map((account) => account.id),
        [`${server.url}#ben`],
      );
    } finally {
      await other.stop();
      await other.cleanup();
    }
  });

  test('while offline, the tooltip counts down to the next try', async () => {
    const tray = recorded.trays[0];
    assert.ok(tray);
    await server.stop();
    // The core's backoff grows (1 s, 2 s, 4 s, …): within a few attempts one wait is long enough
    // to show two seconds in a row. A frozen tooltip shows one number per wait, then "connecting".
    const seen: string[] = [];
    const countsDown = (): boolean => {
      if (seen.at(-1) !== tray.tooltip) seen.push(tray.tooltip);
      return seen.some((text, index) => {
        const now = /retrying in (\d+) s$/.exec(text);
        const next = /retrying in (\d+) s$/.exec(seen[index + 1] ?? '');
        return now !== null && next !== null && Number(next[1]) === Number(now[1]) - 1;
      });
    };
    await waitUntil(countsDown, 'the offline tooltip to count down', 30_000);
  });

  test('quit stops the core before the app exits, and removes its IPC handlers', async () => {
    const { app } = await import('./electronStandIn.js');
    app.quit();
    assert.equal(recorded.exited, false, 'the first will-quit waits for the clean-up');
    await waitUntil(() => recorded.exited, 'the app exits after its clean-up');
    assert.equal(recorded.handlers.size, 0);
    assert.equal(recorded.trays[0]?.destroyed, true);
    assert.deepEqual(recorded.errorBoxes, [], 'no error was shown to the user');
  });
});

/** A new account that may publish (the first account on the server, ana, is the admin). */
async function signUpAuthor(username: string) {
  const admin = await signUpAdmin();
  const user = await signUp(server.url, username);
  await setAuthor(server.url, admin, username);
  return user;
}

let adminToken = '';
async function signUpAdmin(): Promise<string> {
  if (!adminToken) {
    const { login } = await import('../fixtures/api.js');
    adminToken = (await login(server.url, 'ana')).token;
  }
  return adminToken;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
