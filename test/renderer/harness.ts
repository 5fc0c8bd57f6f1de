/**
 * Opens the built inbox window (dist/renderer) in Debian's Chromium and gives it a `window.tidings`
 * backed by a real core in this Node process, the way the Electron preload would: each API method
 * is a Playwright binding that forwards to the core, and every snapshot the core publishes is
 * pushed into the page. The page keeps its strict CSP (no bypass), so the tests see what users see.
 *
 * `startInboxWindow` builds the whole chain: a real core (createTidingsCore) with recorder ports,
 * an in-memory keychain, settings in a real JSON file in a temp dir, connected to whatever server
 * URL the test signs in to. The OS keychain itself (keytar + gnome-keyring) is covered by the core's
 * own tests, so here an in-memory CredentialStore stands in for it.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright';
import { launchChromium } from '../fixtures/chromium.js';
import { IPC_CHANNELS, type AppSnapshot, type Settings } from '../../contract/ipc.js';
import {
  createAccountsCore,
  createTidingsCore,
  type CoreDependencies,
  parseSettings,
  type AccountsCore,
  type BadgeSink,
  type CredentialStore,
  type NativeNotification,
  type SettingsStore,
  type TidingsCore,
  type UpdateSource,
  type UrlOpener,
} from '../../main/core/index.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
export const ARTIFACTS_DIR = join(ROOT, 'test', 'artifacts');

/** The tray popover's size. */
export const WINDOW_SIZE = { width: 380, height: 560 };

/**
 * What the page can reach: the core's side of contract/ipc.ts's TidingsApi. A one-account core
 * has no removeAccount; the several-account core (createAccountsCore) has everything.
 */
export type WindowBackend = Partial<Pick<AccountsCore, 'removeAccount'>> &
  Pick<
    TidingsCore,
    | 'snapshot'
    | 'subscribe'
    | 'checkServer'
    | 'signIn'
    | 'signOut'
    | 'markRead'
    | 'markAllRead'
    | 'loadOlder'
    | 'openItem'
    | 'updateSettings'
    | 'pauseNotifications'
    | 'dismissNotice'
    | 'checkForUpdates'
    | 'installUpdate'
  >;

type ForwardedMethod = Exclude<keyof typeof IPC_CHANNELS, 'snapshot'>;
const FORWARDED = Object.keys(IPC_CHANNELS).filter(
  (name): name is ForwardedMethod => name !== 'snapshot',
);

/**
 * Runs in the page before its own scripts: the same shape the preload's contextBridge exposes —
 * one frozen object, and `onSnapshot` returning its own unsubscribe.
 */
const BRIDGE_SCRIPT = `(() => {
  const listeners = new Set();
  const api = {
    onSnapshot(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
  };
  for (const method of ${JSON.stringify(FORWARDED)}) {
    api[method] = (...args) => globalThis.__tidingsInvoke(method, args);
  }
  Object.defineProperty(window, 'tidings', { value: Object.freeze(api) });
  Object.defineProperty(window, '__tidingsPush', {
    value: (snapshot) => { for (const listener of [...listeners]) listener(snapshot); },
  });
})();`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Serves dist/renderer on 127.0.0.1, the way Electron loads it from the app bundle. */
async function serveRenderer(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const name = path === '/' ? 'index.html' : path.slice(1);
    const type = CONTENT_TYPES[extname(name)];
    if (!type || name.includes('/') || name.includes('..')) {
      response.writeHead(404).end();
      return;
    }
    readFile(join(RENDERER_DIR, name)).then(
      (body) => response.writeHead(200, { 'content-type': type }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}/`, server };
}

export interface InboxWindow {
  page: Page;
  browser: Browser;
  /** Page errors and console errors (a CSP violation shows up here). */
  errors: string[];
  /** Dialogs the page tried to open (alert() from an injected script would land here). */
  dialogs: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  colorScheme?: 'light' | 'dark';
}

export interface StartOptions extends OpenOptions {
  /** Where new versions come from (test/fixtures/updateFeed.ts); absent, none. */
  updates?: UpdateSource;
  /** Settings to start with, as if saved by an earlier run. */
  settings?: Partial<Settings>;
}

/** The version the About view shows: package.json's, as Electron's app.getVersion() gives it. */
export const APP_VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

export async function openWindow(
  backend: WindowBackend,
  options: OpenOptions = {},
): Promise<InboxWindow> {
  const { url, server } = await serveRenderer();
  let browser: Browser | null = null;
  let unsubscribe = (): void => {};
  try {
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: WINDOW_SIZE,
      colorScheme: options.colorScheme ?? 'light',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    const dialogs: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    await page.exposeBinding('__tidingsInvoke', (_source, method: unknown, args: unknown) => {
      if (typeof method !== 'string' || !FORWARDED.includes(method as ForwardedMethod)) {
        throw new Error(`unknown method ${String(method)}`);
      }
      const list = Array.isArray(args) ? args : [];
      if (method === 'getSnapshot') return backend.snapshot();
      // The page is the untrusted side, as with real IPC: the core validates what arrives.
      const call = backend[method as Exclude<ForwardedMethod, 'getSnapshot'>] as
        ((...values: unknown[]) => unknown) | undefined;
      if (call === undefined) throw new Error(`this backend has no ${method}`);
      return call(...list);
    });
    await page.addInitScript({ content: BRIDGE_SCRIPT });

    // Pushes stay in order: each waits for the one before it.
    let pushes = Promise.resolve();
    unsubscribe = backend.subscribe((snapshot: AppSnapshot) => {
      pushes = pushes
        .then(() =>
          page.evaluate((next) => {
            (globalThis as unknown as { __tidingsPush(s: AppSnapshot): void }).__tidingsPush(next);
          }, snapshot),
        )
        .catch(() => {
          // The page is closing or navigating; the next load asks for a fresh snapshot anyway.
        });
    });

    await page.goto(url);
    const opened = browser;
    return {
      page,
      browser: opened,
      errors,
      dialogs,
      async close() {
        unsubscribe();
        await opened.close();
        await new Promise<void>((closed) => server.close(() => closed()));
      },
    };
  } catch (error) {
    unsubscribe();
    await browser?.close();
    server.close();
    throw error;
  }
}

/** Records what the core asks the shell to do, for assertions. */
export interface ShellRecorder {
  opened: string[];
  notifications: NativeNotification[];
  badges: Parameters<BadgeSink['show']>[0][];
  log: string[];
}

/** Settings as a real JSON file, validated on load like the Electron store's wrapper. */
export function fileSettingsStore(path: string): SettingsStore {
  return {
    load() {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        raw = undefined;
      }
      return parseSettings(raw).settings;
    },
    save(settings: Settings) {
      writeFileSync(path, JSON.stringify(settings, null, 2));
    },
  };
}

/** Stands in for the OS keychain; keytar with gnome-keyring is tested by the core's tests. */
export function memoryCredentialStore(): CredentialStore {
  const tokens = new Map<string, string>();
  return {
    getToken: (account) => Promise.resolve(tokens.get(account) ?? null),
    setToken: (account, token) => {
      tokens.set(account, token);
      return Promise.resolve();
    },
    deleteToken: (account) => Promise.resolve(tokens.delete(account)),
  };
}

export interface AppUnderTest<Core extends TidingsCore = TidingsCore> extends InboxWindow {
  core: Core;
  shell: ShellRecorder;
  settingsPath: string;
}

/** The real core with recorder ports, started, and the inbox window open on it. */
export function startInboxWindow(options: StartOptions = {}): Promise<AppUnderTest> {
  return startWindowOn(createTidingsCore, options);
}

/** The same with the several-account core the tray app runs (createAccountsCore). */
export function startAccountsWindow(
  options: StartOptions = {},
): Promise<AppUnderTest<AccountsCore>> {
  return startWindowOn(createAccountsCore, options);
}

async function startWindowOn<Core extends WindowBackend & TidingsCore>(
  createCore: (dependencies: CoreDependencies) => Core,
  options: StartOptions,
): Promise<AppUnderTest<Core>> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-window-'));
  const settingsPath = join(dir, 'settings.json');
  if (options.settings) writeFileSync(settingsPath, JSON.stringify(options.settings));
  const shell: ShellRecorder = { opened: [], notifications: [], badges: [], log: [] };
  const opener: UrlOpener = {
    open(url) {
      shell.opened.push(url);
      return Promise.resolve();
    },
  };
  const core = createCore({
    credentials: memoryCredentialStore(),
    settings: fileSettingsStore(settingsPath),
    badge: { show: (badge) => shell.badges.push(badge) },
    notifier: { notify: (notification) => shell.notifications.push(notification) },
    opener,
    log: (message) => shell.log.push(message),
    deviceName: 'renderer test',
    app: { name: 'Tidings', version: APP_VERSION },
    ...(options.updates ? { updates: options.updates } : {}),
  });
  await core.start();
  let window: InboxWindow;
  try {
    window = await openWindow(core, options);
  } catch (error) {
    await core.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...window,
    core,
    shell,
    settingsPath,
    async close() {
      await window.close();
      await core.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it holds, failing with `what` after `timeoutMs` (never a fixed sleep). */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((tick) => setTimeout(tick, 25));
  }
}

/** What the tray menu's "Settings…" and "About" do to an open window: index.html#settings, #about. */
export async function goToHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((next) => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = next;
  }, hash);
}
