/**
 * The real app.js on macOS' paths (process.platform = 'darwin', Electron stand-in): the Dock icon
 * is hidden; the tray's menu is popped up from a right click and never set on the tray (where a
 * left click would open it AND toggle the window); the window is brought in front of the active
 * app before it shows; the app menu is the macOS one plus Edit; start at login is refused
 * unpackaged, where it would register Electron.app.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IPC_CHANNELS } from '../../contract/ipc.js';
import { waitUntil } from '../fixtures/sockets.js';
import { invokeFromInbox, launchApp, pretendPlatform, type AppUnderTest } from './appHarness.js';
import { app, recorded } from './electronStandIn.js';

pretendPlatform('darwin');

let launched: AppUnderTest;
const logged: string[] = [];
const originalWarn = console.warn;

before(async () => {
  console.warn = (...parts: unknown[]) => {
    logged.push(parts.map(String).join(' '));
  };
  launched = await launchApp({ trial: false });
  await waitUntil(() => recorded.windows.length === 1, 'the app started', 30_000);
});

after(async () => {
  console.warn = originalWarn;
  await launched?.cleanup();
});

describe('the tray app on macOS', () => {
  test('hides its Dock icon and sets no AppUserModelID', () => {
    assert.ok(recorded.calls.includes('dock.hide'));
    assert.ok(!recorded.calls.some((call) => call.startsWith('setAppUserModelId')));
  });

  test('a left click toggles the window and opens no menu; a right click pops the menu up', () => {
    const tray = recorded.trays[0];
    const window = recorded.windows[0];
    assert.ok(tray && window);
    assert.equal(
      tray.contextMenu,
      null,
      'no menu set on the tray: macOS would open it on every click',
    );
    window.hide();
    tray.userClicks();
    assert.equal(tray.poppedUp.length, 0, 'a left click opens no menu');
    assert.equal(window.isVisible(), true, 'a left click opens the inbox');
    tray.userRightClicks();
    assert.equal(tray.poppedUp.length, 1, 'a right click pops the menu up');
    assert.ok(tray.poppedUp[0]?.items.some((item) => item.label === 'Quit Tidings'));
  });

  test('brings the app in front of the active one before showing the window', () => {
    const window = recorded.windows[0];
    assert.ok(window);
    window.hide();
    recorded.calls.length = 0;
    window.once('show', () => recorded.calls.push('window shown'));
    recorded.trays[0]?.userClicks();
    const stolen = recorded.calls.indexOf('app.focus steal');
    assert.ok(
      stolen >= 0,
      `app.focus({ steal: true }) was not called: ${recorded.calls.join(', ')}`,
    );
    assert.ok(stolen < recorded.calls.indexOf('window shown'), 'and it came first');
  });

  test('the application menu is the macOS app menu and Edit', () => {
    const roles = (recorded.applicationMenu?.items ?? []).map(
      (item) => (item as { role?: string }).role,
    );
    assert.deepEqual(roles.slice(0, 2), ['appMenu', 'editMenu']);
  });

  test('start at login, unpackaged, is refused with a reason instead of registering Electron.app', async () => {
    assert.deepEqual(await invokeFromInbox(IPC_CHANNELS.updateSettings, { startAtLogin: true }), {
      ok: true,
    });
    await waitUntil(
      () => logged.some((line) => /start at login: .*packaged app on macOS/.test(line)),
      'the reason in the log',
    );
    assert.deepEqual(recorded.loginItems, []);
  });

  test('quits cleanly', async () => {
    app.quit();
    await waitUntil(() => recorded.exited, 'the app exits');
  });
});
