/**
 * The real built app.js, run in plain Node with a stand-in `electron` module (electronStandIn.ts)
 * and a real server: on a first run the tray appears with the signed-out mark and the core's
 * tooltip, the window opens locked down, every IPC channel answers only the inbox window, a server
 * check goes through to the real server, closing the window keeps the app in the tray, and quit
 * stops everything before exiting. Real Electron is covered by test/e2e/electron.test.ts wherever
 * its binary exists; this checks the wiring everywhere else.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IPC_CHANNELS, type AppSnapshot } from '../../contract/ipc.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { waitUntil } from '../fixtures/sockets.js';
import { routeElectronToStandIn } from './electronLoader.js';
import { preventableEvent, recorded, type FakeWebContents } from './electronStandIn.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const APP = join(ROOT, 'dist', 'main', 'electron', 'app.js');
const PAGE = join(ROOT, 'dist', 'renderer', 'index.html');

let server: RunningServer;
let userData = '';

before(async () => {
  assert.ok(existsSync(APP), `${APP} is missing: run node scripts/build.mjs first`);
  server = await startServer();
  userData = await mkdtemp(join(tmpdir(), 'tidings-shell-'));
  process.env['TIDINGS_USER_DATA'] = userData;
  process.env['TIDINGS_FIRST_RUN'] = 'connect';
  // Start-at-login writes an XDG autostart entry on Linux: keep it out of the real home.
  process.env['XDG_CONFIG_HOME'] = join(userData, 'config');
  routeElectronToStandIn();
  await import(pathToFileURL(APP).href);
  await waitUntil(() => recorded.windows.length === 1 && recorded.trays.length === 1, 'app start');
});

after(async () => {
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
    assert.match(tray.image.path, /assets[\\/]tray[\\/](light|dark)[\\/]tray-signed-out\.png$/);
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
        'Quit Tidings',
      ],
    );
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

  test('closing the window keeps the app in the tray; a tray click brings it back', () => {
    const window = inbox();
    window.userCloses();
    assert.equal(window.isDestroyed(), false);
    assert.equal(window.isVisible(), false);
    recorded.trays[0]?.emit('click');
    assert.equal(window.isVisible(), true);
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
