/**
 * The tray app's entry point (package.json "main"). It wires the core to Electron: tray, native
 * notifications, the inbox window, IPC, the keychain and settings, and the OS signals (sleep,
 * network, login items). Everything with logic lives in main/core; each piece of wiring has its own
 * file here.
 */
import { hostname } from 'node:os';
import {
  Menu,
  Notification,
  app,
  dialog,
  nativeImage,
  net,
  powerMonitor,
  session,
  shell,
} from 'electron';
import { snapshotTooltip } from '../core/badgeText.js';
import { createAccountsCore } from '../core/index.js';
import { createKeytarCredentials } from '../core/credentials/keytarCredentials.js';
import type { AppSnapshot } from '../../contract/ipc.js';
import { LIMITS } from '../../contract/wire.js';
import { appUserModelId } from './appIdentity.js';
import { appMenuTemplate } from './appMenu.js';
import { createBadgeSink } from './badgeSink.js';
import { createElectronSettingsStore } from './electronSettingsStore.js';
import {
  askFirstRunChoice,
  beginTrial,
  readTrialPort,
  showTrialDetails,
  startTrialServer,
} from './firstRun.js';
import { createE2eRecorder } from './e2eHook.js';
import { createInboxShortcut } from './inboxShortcut.js';
import { bindIpc } from './ipc.js';
import { applyStartAtLogin } from './loginItem.js';
import type { LocalServer } from './localServer.js';
import { createElectronNotifier } from './notifier.js';
import { appPaths, assetPath, rendererPageUrl } from './paths.js';
import { createTray } from './tray.js';
import { assetFiles } from './trayImages.js';
import { createElectronUpdateSource } from './updater.js';
import { createInboxWindowController, hardenAllWebContents, hardenSession } from './windows.js';

const log = (message: string): void => console.warn(`[tidings] ${message}`);

// Windows files toasts under this id; it must be set before the first one is shown.
if (process.platform === 'win32') app.setAppUserModelId(appUserModelId(app, process.execPath));

/** How often to look for the network coming back; Electron has no event for it. */
const NETWORK_POLL_MS = 15_000;
/** setTimeout's longest delay; a longer pause is simply re-checked when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The offline tooltip counts down to the next retry; once a second is what a reader sees. */
const TOOLTIP_TICK_MS = 1_000;

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
  const platform = process.platform;
  if (platform === 'darwin') app.dock?.hide();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(appMenuTemplate({ platform, isPackaged: app.isPackaged })),
  );
  hardenAllWebContents(rendererPageUrl);
  hardenSession(rendererPageUrl);

  // Null unless the _electron test asked for it (TIDINGS_E2E=1).
  const e2e = createE2eRecorder(process.env);
  const iconPath = assetPath(assetFiles.appIconMain);
  // The window, the tray and the badge refer to each other; each exists before it is used.
  let windows: ReturnType<typeof createInboxWindowController> | null = null;
  let tray: ReturnType<typeof createTray> | null = null;
  const showInbox = (): void => windows?.show();
  // A second launch, or a click on the Dock icon, opens the inbox, even while the trial server
  // is still starting (up to 15 s).
  app.on('second-instance', showInbox);
  app.on('activate', showInbox);
  // Closing the window keeps the app in the tray: no quitting when the last window closes.
  app.on('window-all-closed', () => undefined);

  const badge = createBadgeSink({
    platform,
    tray: { show: (state) => tray?.show(state) },
    setBadgeCount: (count) => void app.setBadgeCount(count),
    loadImage: (relative) => nativeImage.createFromPath(assetPath(relative)),
  });

  // One connection per account; with one account it behaves as the one-account core.
  const core = createAccountsCore({
    credentials: createKeytarCredentials(),
    settings: createElectronSettingsStore(log),
    badge,
    notifier: createElectronNotifier({
      iconPath,
      platform,
      log,
      openInbox: showInbox,
      openAbout: () => windows?.show('about'),
      markRead: (ids, account) => void core.markRead(ids, account),
      onShown: e2e?.recordShown,
    }),
    opener: e2e?.opener ?? { open: (url) => shell.openExternal(url) },
    log,
    deviceName: `Tidings ${app.getVersion()} on ${hostname()}`.slice(0, LIMITS.deviceNameMax),
    // Chromium knows the OS proxy (system settings, PAC, WPAD); Node does not.
    resolveProxy: (url) => session.defaultSession.resolveProxy(url),
    app: { name: app.getName(), version: app.getVersion() },
    updates: createElectronUpdateSource({ isPackaged: app.isPackaged, log }),
  });

  windows = createInboxWindowController({
    preloadPath: appPaths.preload,
    pagePath: appPaths.rendererPage,
    pageUrl: rendererPageUrl,
    iconPath,
    platform,
    trayBounds: () => tray?.bounds() ?? { x: 0, y: 0, width: 0, height: 0 },
    onVisibilityChanged: (visible) => core.setInboxVisible(visible),
    onCreated: (window) => badge.applyToWindow(window),
  });
  const inbox = windows;
  badge.setWindow(() => inbox.window());

  tray = createTray({
    assetPath,
    platform,
    actions: {
      toggleInbox: () => inbox.toggle(),
      openInbox: () => inbox.show(),
      openSettings: () => inbox.show('settings'),
      markAllRead: () => void core.markAllRead(),
      pause: (minutes) => void core.pauseNotifications(minutes),
      // Both open the About view, which shows the check as it goes.
      checkForUpdates: () => {
        inbox.show('about');
        void core.checkForUpdates();
      },
      about: () => inbox.show('about'),
      signOut: () => void core.signOut().then(() => inbox.show()),
      quit: () => app.quit(),
    },
  });
  e2e?.install({
    tooltip: () => tray?.tooltip() ?? '',
    menuLabels: () => tray?.menuLabels() ?? [],
    chooseMenuItem: (label) => tray?.chooseMenuItem(label) ?? false,
    inboxShown: () => {
      const window = inbox.window();
      return window !== null && window.isVisible() && window.isFocused();
    },
  });

  const shortcut = createInboxShortcut({
    onPress: () => inbox.show(),
    onFailure: (_accelerator, message) => {
      log(`shortcut: ${message}`);
      if (Notification.isSupported())
        new Notification({ title: 'Tidings', body: message, icon: iconPath }).show();
    },
  });

  const ipc = bindIpc({
    core,
    inboxContents: () => inbox.contents(),
    appPageUrl: rendererPageUrl,
    log,
  });

  let startAtLogin: boolean | null = null;
  // The menu flips back from "Resume" to "Pause" when a pause runs out, with no snapshot to say so.
  let pauseEnds: NodeJS.Timeout | undefined;
  // While offline the tooltip says when the next try is; it is re-read every second.
  let tooltipTick: NodeJS.Timeout | undefined;
  const follow = (snapshot: AppSnapshot): void => {
    const pausedUntil = snapshot.settings.pausedUntil ?? 0;
    const paused = pausedUntil > Date.now();
    tray?.setMenuState({
      paused,
      signedIn: snapshot.account !== null,
      hasUnread: snapshot.inbox.unreadCount > 0,
    });
    clearTimeout(pauseEnds);
    if (paused) {
      const delay = Math.min(pausedUntil - Date.now() + 500, MAX_TIMER_MS);
      pauseEnds = setTimeout(() => follow(core.snapshot()), delay);
    }
    clearTimeout(tooltipTick);
    countDown(snapshot);
    shortcut.set(snapshot.settings.inboxShortcut);
    if (snapshot.settings.startAtLogin !== startAtLogin) {
      startAtLogin = snapshot.settings.startAtLogin;
      void applyStartAtLogin(startAtLogin, {
        platform,
        isPackaged: app.isPackaged,
        execPath: process.execPath,
        appPath: app.getAppPath(),
        env: process.env,
        setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
      })
        .then((result) => {
          if (!result.ok) log(`start at login: ${result.reason}`);
        })
        .catch((error: unknown) => log(`start at login: ${errorMessage(error)}`));
    }
  };
  // The core sends a badge when something changes; a countdown changes with time alone. Any
  // account offline counts down, since the tooltip names each one.
  const countDown = (snapshot: AppSnapshot): void => {
    const statuses = [snapshot.status, ...(snapshot.accounts ?? []).map((entry) => entry.status)];
    const retryAts = statuses.flatMap((status) =>
      status.state === 'offline' ? [status.retryAt] : [],
    );
    if (retryAts.length === 0) return;
    tooltipTick = setTimeout(() => {
      badge.show({
        unreadCount: snapshot.inbox.unreadCount,
        status: snapshot.status.state,
        tooltip: snapshotTooltip(snapshot, Date.now()),
      });
      if (Date.now() < Math.max(...retryAts)) countDown(snapshot);
    }, TOOLTIP_TICK_MS);
  };
  const unsubscribe = core.subscribe(follow);

  // Sleep and network changes: reconnect now rather than at the next backoff step.
  powerMonitor.on('resume', () => core.wake());
  powerMonitor.on('unlock-screen', () => core.wake());
  let wasOnline = net.isOnline();
  const networkWatch = setInterval(() => {
    const online = net.isOnline();
    if (online && !wasOnline) core.wake();
    wasOnline = online;
  }, NETWORK_POLL_MS);

  let localServer: LocalServer | null = null;
  let cleanedUp = false;
  app.on('before-quit', () => inbox.allowClose());
  app.on('will-quit', (event) => {
    if (cleanedUp) return;
    event.preventDefault();
    clearInterval(networkWatch);
    clearTimeout(pauseEnds);
    clearTimeout(tooltipTick);
    unsubscribe();
    shortcut.dispose();
    ipc.dispose();
    void core
      .stop()
      .catch((error: unknown) => log(`stopping the core: ${String(error)}`))
      // The trial server is asked to finish its writes and exit, and killed only if it hangs.
      .then(() => localServer?.stop())
      .catch((error: unknown) => log(`stopping the local server: ${String(error)}`))
      .finally(() => {
        cleanedUp = true;
        tray?.destroy();
        app.quit();
      });
  });

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

  await core.start();
  follow(core.snapshot());

  const snapshot = core.snapshot();
  const firstRun = snapshot.account === null && snapshot.settings.serverUrl === '';
  if (snapshot.account === null || snapshot.status.state === 'signed-out') inbox.show();
  if (!firstRun) return;

  const preset = process.env['TIDINGS_FIRST_RUN'];
  const choice =
    preset === 'connect' || preset === 'trial' || preset === 'later'
      ? preset
      : await inbox.holdOpen(askFirstRunChoice(inbox.window()));
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
    await inbox.holdOpen(
      showTrialDetails(inbox.window(), {
        url: localServer.url,
        username: trial.username,
        password: trial.password,
      }),
    );
  } else {
    log(`trial: ${trial.message}`);
    dialog.showErrorBox('Tidings', trial.message);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
