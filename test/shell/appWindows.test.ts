/**
 * The real app.js on Windows' paths (process.platform = 'win32', Electron stand-in): toasts go out
 * under the installer's AppUserModelID, claimed before anything else; a second launch finds its
 * handler while the trial server is still starting; the tray icon follows the taskbar's theme,
 * not the app's; start at login registers the app, not a bare electron.exe; and quit asks the
 * trial server to stop over IPC (Windows has no SIGTERM to catch), which then exits cleanly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IPC_CHANNELS } from '../../contract/ipc.js';
import { waitUntil } from '../fixtures/sockets.js';
import { invokeFromInbox, launchApp, pretendPlatform, type AppUnderTest } from './appHarness.js';
import { app, nativeTheme, recorded } from './electronStandIn.js';

pretendPlatform('win32');

let launched: AppUnderTest;
let secondInstanceHandlersAtLaunch = -1;
let activateHandlersAtLaunch = -1;
const logged: string[] = [];
const originalWarn = console.warn;

before(async () => {
  console.warn = (...parts: unknown[]) => {
    logged.push(parts.map(String).join(' '));
  };
  launched = await launchApp({ trial: true });
  // The app is now starting its trial server (which takes a while); a second launch right now
  // must still find the handler that shows the window.
  secondInstanceHandlersAtLaunch = app.listenerCount('second-instance');
  activateHandlersAtLaunch = app.listenerCount('activate');
  // The window opens (signed out) once the trial server is up and the core has started.
  await waitUntil(() => recorded.windows.length === 1, 'the app started', 30_000);
});

after(async () => {
  console.warn = originalWarn;
  await launched?.cleanup();
});

describe('the tray app on Windows', () => {
  test('claims the installer’s AppUserModelID (unpackaged: the executable) before anything else', () => {
    assert.equal(recorded.calls[0], `setAppUserModelId ${process.execPath}`);
  });

  test('a second launch, or activate, finds its handler while the trial server is still starting', () => {
    assert.equal(secondInstanceHandlersAtLaunch, 1);
    assert.equal(activateHandlersAtLaunch, 1);
    const window = recorded.windows[0];
    window?.hide();
    app.emit('second-instance', {}, [], process.cwd());
    assert.equal(recorded.windows.at(-1)?.isVisible(), true);
  });

  test('the tray icon follows the taskbar’s theme (shouldUseDarkColorsForSystemIntegratedUI), not the app’s', () => {
    const tray = recorded.trays[0];
    assert.ok(tray);
    // Windows 10's default: light apps, dark taskbar.
    nativeTheme.shouldUseDarkColors = false;
    nativeTheme.shouldUseDarkColorsForSystemIntegratedUI = true;
    nativeTheme.emit('updated');
    assert.match(tray.image.path, /tray[\\/]dark[\\/]/, 'a light glyph for the dark taskbar');
    nativeTheme.shouldUseDarkColors = true;
    nativeTheme.shouldUseDarkColorsForSystemIntegratedUI = false;
    nativeTheme.emit('updated');
    assert.match(tray.image.path, /tray[\\/]light[\\/]/, 'a dark glyph for a light taskbar');
  });

  test('the tray menu opens from the OS on right click; a left click only toggles the window', () => {
    const tray = recorded.trays[0];
    assert.ok(tray?.contextMenu, 'Windows shows the context menu set on the tray');
    const before = tray.poppedUp.length;
    tray.userClicks();
    assert.equal(tray.poppedUp.length, before, 'no menu on a left click');
  });

  test('start at login registers the app folder as the argument, not a bare electron.exe', async () => {
    assert.deepEqual(await invokeFromInbox(IPC_CHANNELS.updateSettings, { startAtLogin: true }), {
      ok: true,
    });
    await waitUntil(() => recorded.loginItems.length > 0, 'the login item');
    assert.deepEqual(recorded.loginItems.at(-1), {
      openAtLogin: true,
      path: process.execPath,
      args: [app.getAppPath()],
    });
  });

  test('quit asks the trial server to stop over IPC; it finishes its writes and exits', async () => {
    app.quit();
    await waitUntil(() => recorded.exited, 'the app exits after its clean-up', 20_000);
    assert.ok(
      logged.some((line) => /the app asked to stop: finishing pending writes/.test(line)),
      `the server's log says why it stopped:\n${logged.join('\n')}`,
    );
    assert.ok(!logged.some((line) => /killing it/.test(line)), 'it was not killed');
  });
});
