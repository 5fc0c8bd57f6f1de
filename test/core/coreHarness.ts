/**
 * A real tray core wired to recorders instead of Electron: what it would show on the badge, the
 * notifications it would raise, the URLs it would open. Settings live in a real file in a temp
 * directory; the keychain is an in-memory map here (the real keychain has its own test).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTidingsCore } from '../../main/core/index.js';
import type {
  BadgeSink,
  Clock,
  CredentialStore,
  NativeNotification,
  ResolveProxy,
  TidingsCore,
} from '../../main/core/ports.js';
import type { UpdateSource } from '../../main/core/updates.js';
import { createFileSettingsStore } from '../../main/core/settings/fileSettingsStore.js';
import type { AppSnapshot } from '../../contract/ipc.js';
import { signUp, subscribe, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';

export interface RaisedNotification {
  notification: NativeNotification;
  click: () => void;
}

export interface CoreUnderTest {
  core: TidingsCore;
  badges: Parameters<BadgeSink['show']>[0][];
  notifications: RaisedNotification[];
  opened: string[];
  tokens: Map<string, string>;
  settingsFile: string;
  logs: string[];
  dispose(): Promise<void>;
}

export function memoryCredentials(tokens: Map<string, string>): CredentialStore {
  return {
    getToken: async (account) => tokens.get(account) ?? null,
    setToken: async (account, token) => void tokens.set(account, token),
    deleteToken: async (account) => tokens.delete(account),
  };
}

export async function createCoreUnderTest(
  options: {
    tokens?: Map<string, string>;
    settingsDir?: string;
    clock?: Clock;
    resolveProxy?: ResolveProxy;
    app?: { name: string; version: string };
    updates?: UpdateSource;
  } = {},
): Promise<CoreUnderTest> {
  const ownsDir = options.settingsDir === undefined;
  const dir = options.settingsDir ?? (await mkdtemp(join(tmpdir(), 'tidings-core-')));
  const settingsFile = join(dir, 'settings.json');
  const tokens = options.tokens ?? new Map<string, string>();
  const logs: string[] = [];
  const under: CoreUnderTest = {
    core: undefined as unknown as TidingsCore, // assigned just below, before anyone reads it
    badges: [],
    notifications: [],
    opened: [],
    tokens,
    settingsFile,
    logs,
    async dispose() {
      await under.core.stop();
      if (ownsDir) await rm(dir, { recursive: true, force: true });
    },
  };
  under.core = createTidingsCore({
    credentials: memoryCredentials(tokens),
    settings: createFileSettingsStore(settingsFile, (message) => logs.push(message)),
    badge: { show: (badge) => void under.badges.push(badge) },
    notifier: {
      notify: (notification, click) => void under.notifications.push({ notification, click }),
    },
    opener: { open: async (url) => void under.opened.push(url) },
    log: (message) => logs.push(message),
    deviceName: 'core test',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.resolveProxy ? { resolveProxy: options.resolveProxy } : {}),
    ...(options.app ? { app: options.app } : {}),
    ...(options.updates ? { updates: options.updates } : {}),
  });
  return under;
}

/** Waits for a condition on the core's snapshot, failing with what it saw after `timeoutMs`. */
export async function waitForSnapshot(
  core: TidingsCore,
  condition: (snapshot: AppSnapshot) => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<AppSnapshot> {
  return waitFor(
    () => {
      const snapshot = core.snapshot();
      return condition(snapshot) ? snapshot : undefined;
    },
    what,
    timeoutMs,
    () =>
      JSON.stringify({ status: core.snapshot().status, unread: core.snapshot().inbox.unreadCount }),
  );
}

/** Polls until `probe` returns a value; a bounded wait, never a timing assertion. */
export async function waitFor<T>(
  probe: () => T | undefined,
  what: string,
  timeoutMs = 5_000,
  describe: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Gives in-flight events time to arrive, to check that nothing MORE happens. */
export function settle(ms = 2_500): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Registers work for the test's `afterEach` (each test file keeps its own list). */
export type Defer = (cleanup: () => Promise<unknown>) => void;

/**
 * Where most stories start: a real server with Ana (its first account, so admin and author) and
 * Ben, who subscribes to the blog.
 */
export async function startBlog(
  defer: Defer,
  args: string[] = [],
): Promise<{ server: RunningServer; ana: TestUser; ben: TestUser }> {
  const server = await startServer({ args });
  defer(async () => {
    await server.stop();
    await server.cleanup();
  });
  const ana = await signUp(server.url, 'ana');
  const ben = await signUp(server.url, 'ben');
  await subscribe(server.url, ben.token);
  return { server, ana, ben };
}

/** A core signed in as `user` at `serverUrl` (a server, or a relay in front of one), online. */
export async function signedInCore(
  defer: Defer,
  serverUrl: string,
  user: TestUser,
  options: Parameters<typeof createCoreUnderTest>[0] = {},
): Promise<CoreUnderTest> {
  const app = await createCoreUnderTest(options);
  defer(() => app.dispose());
  const signedIn = await app.core.signIn({
    serverUrl,
    username: user.username,
    password: user.password,
  });
  if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.code}: ${signedIn.message}`);
  await waitForSnapshot(app.core, (s) => s.status.state === 'online', 'the core to come online');
  return app;
}
