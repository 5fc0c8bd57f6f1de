/**
 * The tray app's entry point (package.json "main"). It wires the core to Electron: tray, native
 * notifications, the inbox window, IPC, the keychain and settings, and the OS signals (sleep,
 * network, login items). Everything with logic lives in main/core; each piece of wiring has its own
 * file here.
 */
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { BrowserWindow, app, dialog, net, powerMonitor, session, shell } from 'electron';
import { createTidingsCore } from '../core/index.js';
import { createKeytarCredentials } from '../core/credentials/keytarCredentials.js';
import type { AppSnapshot } from '../../contract/ipc.js';
import { LIMITS } from '../../contract/wire.js';
import { createElectronSettingsStore } from './electronSettingsStore.js';
import {
  askFirstRunChoice,
  beginTrial,
  readTrialPort,
  showTrialDetails,
  startTrialServer,
} from './firstRun.js';
import { createE2eRecorder } from './e2eHook.js';
import { bindIpc } from './ipc.js';
import { setLinuxAutostart } from './linuxAutostart.js';
import type { LocalServer } from './localServer.js';
import { createElectronNotifier } from './notifier.js';
import { appPaths, assetPath, rendererPageUrl } from './paths.js';
import { createTray } from './tray.js';
import { assetFiles } from './trayImages.js';
import { createInboxWindowController, hardenAllWebContents, hardenSession } from './windows.js';

const log = (message: string): void => console.warn(`[tidings] ${message}`);

/** How often to look for the network coming back; Electron has no event for it. */
const NETWORK_POLL_MS = 15_000;
/** setTimeout's longest delay; a longer pause is simply re-checked when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

// Tests and portable set-ups keep their data apart; must happen before `ready`.
const userDataOverride = process.env['TIDINGS_USER_DATA'];
if (userDataOverride) app.setPath('userData', userDataOverride);

if (!app.requestSingleInstanceLock()) {
  // Another Tidings is running; it shows its window (see 'second-instance') and we leave.
  app.quit();
} else {
  void app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log(
        `could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      dialog.showErrorBox('Tidings could not start', errorMessage(error));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  if (process.platform === 'darwin') app.dock?.hide();
  hardenAllWebContents(rendererPageUrl);
  hardenSession(rendererPageUrl);

  let localServer: LocalServer | null = null;
  const userData = app.getPath('userData');
  if ((await readTrialPort(userData)) !== null) {
    localServer = await startTrialServer({
      userData,
      execPath: process.execPath,
      cliPath: appPaths.serverCli,
      log,
    }).catch((error: unknown) => {
      log(`the trial server did not start: ${String(error)}`);
      return null;
    });
  }

  // Null unless the _electron test asked for it (TIDINGS_E2E=1).
  const e2e = createE2eRecorder();
  const iconPath = assetPath(assetFiles.appIconMain);
  // The window and the tray refer to each other (overlay icon, toggling); both exist before use.
  let tray: ReturnType<typeof createTray> | null = null;
  const applyOverlay = (target: BrowserWindow | null): void => {
    if (process.platform !== 'win32' || !target) return;
    const overlay = tray?.overlay() ?? null;
    target.setOverlayIcon(overlay?.image ?? null, overlay?.description ?? '');
  };

  const core = createTidingsCore({
    credentials: createKeytarCredentials(),
    settings: createElectronSettingsStore(log),
    badge: { show: (badge) => tray?.badge.show(badge) },
    notifier: createElectronNotifier({
      iconPath,
      log,
      ...(e2e ? { onShown: e2e.recordShown } : {}),
    }),
    opener: e2e?.opener ?? { open: (url) => shell.openExternal(url) },
    log,
    deviceName: `Tidings ${app.getVersion()} on ${hostname()}`.slice(0, LIMITS.deviceNameMax),
    // Chromium knows the OS proxy (system settings, PAC, WPAD); Node does not.
    resolveProxy: (url) => session.defaultSession.resolveProxy(url),
  });

  const windows = createInboxWindowController({
    preloadPath: appPaths.preload,
    pagePath: appPaths.rendererPage,
    pageUrl: rendererPageUrl,
    iconPath,
    onVisibilityChanged: (visible) => core.setInboxVisible(visible),
    onCreated: applyOverlay,
  });

  tray = createTray({
    assetPath,
    onBadgeChanged: () => applyOverlay(windows.window()),
    actions: {
      toggleInbox: () => windows.toggle(),
      openInbox: () => windows.show(),
      openSettings: () => windows.show('settings'),
      markAllRead: () => void core.markAllRead(),
      pause: (minutes) => void core.pauseNotifications(minutes),
      signOut: () => void core.signOut().then(() => windows.show()),
      quit: () => app.quit(),
    },
  });
  e2e?.install(() => tray?.tooltip() ?? '');

  const ipc = bindIpc({
    core,
    inboxContents: () => windows.contents(),
    appPageUrl: rendererPageUrl,
    log,
  });

  let startAtLogin: boolean | null = null;
  // The menu flips back from "Resume" to "Pause" when a pause runs out, with no snapshot to say so.
  let pauseEnds: NodeJS.Timeout | undefined;
  const follow = (snapshot: AppSnapshot): void => {
    const pausedUntil = snapshot.settings.pausedUntil ?? 0;
    const paused = pausedUntil > Date.now();
    tray?.setMenuState({ paused, signedIn: snapshot.account !== null });
    clearTimeout(pauseEnds);
    if (paused) {
      const delay = Math.min(pausedUntil - Date.now() + 500, MAX_TIMER_MS);
      pauseEnds = setTimeout(() => follow(core.snapshot()), delay);
    }
    if (snapshot.settings.startAtLogin !== startAtLogin) {
      startAtLogin = snapshot.settings.startAtLogin;
      if (process.platform === 'linux') {
        // Electron's login-item API does nothing on Linux: an XDG autostart entry does the job.
        void setLinuxAutostart(startAtLogin, {
          configHome: process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config'),
          // An AppImage must be started through its file, not the mounted copy that runs now.
          command: [
            process.env['APPIMAGE'] ?? process.execPath,
            ...(app.isPackaged ? [] : [app.getAppPath()]),
          ],
        }).catch((error: unknown) => log(`start at login: ${errorMessage(error)}`));
      } else {
        // The app starts in the tray with no window anyway, so a login start is already quiet.
        app.setLoginItemSettings({ openAtLogin: startAtLogin });
      }
    }
  };
  const unsubscribe = core.subscribe(follow);

  app.on('second-instance', () => windows.show());
  // Closing the window keeps the app in the tray: no quitting when the last window closes.
  app.on('window-all-closed', () => undefined);
  app.on('activate', () => windows.show());

  // Sleep and network changes: reconnect now rather than at the next backoff step.
  powerMonitor.on('resume', () => core.wake());
  powerMonitor.on('unlock-screen', () => core.wake());
  let wasOnline = net.isOnline();
  const networkWatch = setInterval(() => {
    const online = net.isOnline();
    if (online && !wasOnline) core.wake();
    wasOnline = online;
  }, NETWORK_POLL_MS);

  let cleanedUp = false;
  app.on('before-quit', () => windows.allowClose());
  app.on('will-quit', (event) => {
    if (cleanedUp) return;
    event.preventDefault();
    clearInterval(networkWatch);
    clearTimeout(pauseEnds);
    unsubscribe();
    ipc.dispose();
    void core
      .stop()
      .catch((error: unknown) => log(`stopping the core: ${String(error)}`))
      .then(() => localServer?.stop())
      .catch((error: unknown) => log(`stopping the local server: ${String(error)}`))
      .finally(() => {
        cleanedUp = true;
        tray?.destroy();
        app.quit();
      });
  });

  await core.start();
  follow(core.snapshot());

  const snapshot = core.snapshot();
  const firstRun = snapshot.account === null && snapshot.settings.serverUrl === '';
  if (snapshot.account === null || snapshot.status.state === 'signed-out') windows.show();
  if (!firstRun) return;

  const preset = process.env['TIDINGS_FIRST_RUN'];
  const choice =
    preset === 'connect' || preset === 'trial' || preset === 'later'
      ? preset
      : await askFirstRunChoice(windows.window());
  if (choice !== 'trial') return;
  try {
    localServer = await startTrialServer({
      userData,
      execPath: process.execPath,
      cliPath: appPaths.serverCli,
      log,
    });
  } catch (error) {
    log(`the trial server did not start: ${String(error)}`);
    dialog.showErrorBox('Tidings', `The local server did not start: ${errorMessage(error)}`);
    return;
  }
  const trial = await beginTrial(core, localServer);
  if (trial.ok) {
    await showTrialDetails(windows.window(), {
      url: localServer.url,
      username: trial.username,
      password: trial.password,
    });
  } else {
    log(`trial: ${trial.message}`);
    dialog.showErrorBox('Tidings', trial.message);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
