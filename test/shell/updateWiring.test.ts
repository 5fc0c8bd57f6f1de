/**
 * The shell's side of updates, through the Electron stand-in: a packaged app checks the feed at
 * start, has electron-updater download the newer version (not on its own: autoDownload off, the
 * core asks), and shows ONE native notification "Tidings 9.9.9 is ready — restart to install";
 * clicking it opens the inbox window on the About view. The tray's "About Tidings" and "Check for
 * updates…" open the About view too (no more dialogs), and "Restart to install" from the window
 * calls quitAndInstall. The policy itself is tested in Node (test/core/updateReady.test.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { IPC_CHANNELS } from '../../contract/ipc.js';
import { PAGE, invokeFromInbox, launchApp, type AppUnderTest } from './appHarness.js';
import { routeElectronUpdaterToStandIn } from './electronLoader.js';
import { app as electronApp, recorded, type FakeNotification } from './electronStandIn.js';
import { autoUpdater, updaterCalls } from './electronUpdaterStandIn.js';
import { waitUntil } from '../fixtures/sockets.js';

let launched: AppUnderTest;

before(async () => {
  routeElectronUpdaterToStandIn();
  electronApp.isPackaged = true;
  launched = await launchApp({ trial: false });
  await waitUntil(() => recorded.windows.length === 1 && recorded.trays.length === 1, 'app start');
});

after(async () => {
  electronApp.quit();
  await launched?.cleanup();
});

const READY = 'Tidings 9.9.9 is ready — restart to install';
const readyToasts = (): FakeNotification[] =>
  recorded.notifications.filter((toast) => toast.options['body'] === READY);
const window = () => {
  const created = recorded.windows[0];
  assert.ok(created, 'no inbox window');
  return created;
};
const menuItem = (label: string) => {
  const item = recorded.trays[0]?.menu.find((entry) => entry.label === label);
  assert.ok(item?.click, `no menu item ${label}`);
  return item.click;
};

test('a downloaded update raises one notification; its click opens the About view', async () => {
  await waitUntil(() => readyToasts().length === 1, 'the update-ready notification');
  assert.deepEqual(updaterCalls.slice(0, 2), ['checkForUpdates', 'downloadUpdate']);
  assert.equal(autoUpdater.autoDownload, false, 'the core decides when to download');
  assert.equal(autoUpdater.autoInstallOnAppQuit, true);
  assert.equal(readyToasts()[0]?.options['title'], 'Tidings');

  window().hide();
  readyToasts()[0]?.userClicks();
  assert.deepEqual(window().loaded.at(-1), [PAGE, { hash: 'about' }]);
  assert.equal(window().isVisible(), true);
  assert.equal(window().isFocused(), true);
});

test('the tray menu: "About Tidings" and "Check for updates…" open the About view, no dialog', async () => {
  window().hide();
  const loads = window().loaded.length;
  menuItem('About Tidings')();
  assert.deepEqual(window().loaded.at(-1), [PAGE, { hash: 'about' }]);
  assert.equal(window().isVisible(), true);

  window().hide();
  const checks = updaterCalls.filter((call) => call === 'checkForUpdates').length;
  menuItem('Check for updates…')();
  assert.equal(window().isVisible(), true);
  await waitUntil(
    () => updaterCalls.filter((call) => call === 'checkForUpdates').length === checks + 1,
    'a check',
  );
  assert.ok(window().loaded.length >= loads + 2);
  assert.deepEqual(recorded.dialogs, [], 'no message boxes');
  assert.equal(readyToasts().length, 1, 'the same version is not announced again');
  assert.equal(updaterCalls.filter((call) => call === 'downloadUpdate').length, 1);
});

test('"Restart to install" from the window calls quitAndInstall', async () => {
  const result = await invokeFromInbox(IPC_CHANNELS.installUpdate);
  assert.deepEqual(result, { ok: true });
  assert.equal(updaterCalls.at(-1), 'quitAndInstall');
});
