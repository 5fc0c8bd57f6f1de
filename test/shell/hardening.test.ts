/**
 * The inbox window's security model, checked through the pure pieces main/electron applies
 * (security.ts, ipcRoutes.ts) and the built preload, so it runs without an Electron binary:
 * isolation and sandbox on, a strict CSP, no navigation or new windows, IPC that answers only the
 * app's own page and validates every argument before the core sees it.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { IPC_CHANNELS, type AppSnapshot, type TidingsApi } from '../../contract/ipc.js';
import { LIMITS } from '../../contract/wire.js';
import type { AccountsCore } from '../../main/core/ports.js';
import { defaultSettings } from '../../main/core/settingsSchema.js';
import { createIpcRoutes, dispatchIpc } from '../../main/electron/ipcRoutes.js';
import {
  CONTENT_SECURITY_POLICY,
  inboxWindowOptions,
  isAllowedRequestUrl,
  isTrustedSender,
  permissionDecision,
  shouldBlockNavigation,
  windowOpenDecision,
  withContentSecurityPolicy,
  type IpcSender,
} from '../../main/electron/security.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PAGE = join(ROOT, 'dist', 'renderer', 'index.html');
const PAGE_URL = pathToFileURL(PAGE).href;
const WINDOW_ID = 7;

describe('the inbox window', () => {
  test('runs isolated and sandboxed, with no Node, web security on and no <webview>', () => {
    const options = inboxWindowOptions({ preload: '/app/preload.cjs', icon: '/app/icon.png' });
    const prefs = options.webPreferences;
    assert.ok(prefs, 'webPreferences must be set');
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.preload, '/app/preload.cjs');
    assert.equal(options.show, false, 'the window appears only when asked for');
  });

  test('has a strict CSP, and the page itself carries exactly the same one', async () => {
    assert.equal(
      CONTENT_SECURITY_POLICY,
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:",
    );
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-|\*|https?:/);
    const html = await readFile(join(ROOT, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
    assert.ok(meta, 'renderer/index.html must carry a CSP meta tag');
    assert.equal(meta[1], CONTENT_SECURITY_POLICY);

    const headers = withContentSecurityPolicy({
      'content-security-policy': ['default-src *'],
      etag: ['x'],
    });
    assert.deepEqual(headers, {
      etag: ['x'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  test('may not navigate anywhere but its own page, nor open windows, nor get permissions', () => {
    assert.equal(shouldBlockNavigation(PAGE_URL, PAGE_URL), false);
    assert.equal(shouldBlockNavigation(`${PAGE_URL}#settings`, PAGE_URL), false);
    for (const target of [
      'https://evil.example/',
      'http://127.0.0.1:4300/posts/1',
      'file:///etc/passwd',
      pathToFileURL(join(ROOT, 'dist', 'renderer', 'other.html')).href,
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'not a url',
    ]) {
      assert.equal(shouldBlockNavigation(target, PAGE_URL), true, target);
    }
    assert.deepEqual(windowOpenDecision(), { action: 'deny' });
    assert.equal(permissionDecision(), false);
  });

  test('loads only its own files and inline images: nothing remote', () => {
    const own = (name: string) => pathToFileURL(join(ROOT, 'dist', 'renderer', name)).href;
    assert.equal(isAllowedRequestUrl(own('app.js'), PAGE_URL), true);
    assert.equal(isAllowedRequestUrl(own('styles.css'), PAGE_URL), true);
    assert.equal(isAllowedRequestUrl('data:image/png;base64,AAAA', PAGE_URL), true);
    assert.equal(isAllowedRequestUrl('https://cdn.example/x.js', PAGE_URL), false);
    assert.equal(isAllowedRequestUrl('http://127.0.0.1:4300/api/me', PAGE_URL), false);
    assert.equal(isAllowedRequestUrl('file:///home/user/.ssh/id_rsa', PAGE_URL), false);
    assert.equal(isAllowedRequestUrl('ws://127.0.0.1:4300/socket.io/', PAGE_URL), false);
  });
});

describe('IPC from the window', () => {
  const inboxSender: IpcSender = {
    webContentsId: WINDOW_ID,
    frameUrl: PAGE_URL,
    isMainFrame: true,
  };
  const trusted = { webContentsId: WINDOW_ID, appPageUrl: PAGE_URL };

  test('is answered only for the inbox window’s own top frame on the app’s own page', () => {
    assert.equal(isTrustedSender(inboxSender, trusted), true);
    assert.equal(
      isTrustedSender({ ...inboxSender, frameUrl: `${PAGE_URL}#settings` }, trusted),
      true,
    );
    assert.equal(isTrustedSender({ ...inboxSender, webContentsId: 8 }, trusted), false);
    assert.equal(isTrustedSender({ ...inboxSender, isMainFrame: false }, trusted), false);
    assert.equal(
      isTrustedSender({ ...inboxSender, frameUrl: 'https://evil.example/' }, trusted),
      false,
    );
    assert.equal(isTrustedSender({ ...inboxSender, frameUrl: null }, trusted), false);
    assert.equal(isTrustedSender(inboxSender, { ...trusted, webContentsId: null }), false);
  });

  test('refuses other senders, unknown channels and bad arguments before the core sees them', async () => {
    const { core, calls } = recordingCore();
    const routes = createIpcRoutes(core);
    const logged: string[] = [];
    const call = (channel: string, args: unknown[], sender: IpcSender = inboxSender) =>
      dispatchIpc(routes, { channel, sender, args }, trusted, (line) => logged.push(line));

    assert.deepEqual(
      await call(IPC_CHANNELS.markAllRead, [], { ...inboxSender, webContentsId: 99 }),
      {
        ok: false,
        code: 'forbidden',
        message: 'This window may not talk to Tidings.',
      },
    );
    assert.equal(((await call('tidings:eval', ['1+1'])) as { code: string }).code, 'not_found');

    const bad: [string, unknown[]][] = [
      [IPC_CHANNELS.markRead, [[]]],
      [
        IPC_CHANNELS.markRead,
        [Array.from({ length: LIMITS.markReadIdsMax + 1 }, (_, i) => `n${i}`)],
      ],
      [IPC_CHANNELS.markRead, ['n1']],
      [IPC_CHANNELS.signIn, [{ serverUrl: 'http://x', username: 'a', password: 'b', admin: true }]],
      [IPC_CHANNELS.signIn, [{ serverUrl: 'http://x', username: 'a' }]],
      [IPC_CHANNELS.openItem, [{ id: 'n1' }]],
      [IPC_CHANNELS.openItem, ['x'.repeat(101)]],
      [IPC_CHANNELS.updateSettings, [{ serverUrl: 'https://evil.example' }]],
      [
        IPC_CHANNELS.updateSettings,
        [{ quietHours: { enabled: true, start: '25:00', end: '07:00' } }],
      ],
      [IPC_CHANNELS.pauseNotifications, [-5]],
      [IPC_CHANNELS.pauseNotifications, ['60']],
      [IPC_CHANNELS.checkServer, ['x'.repeat(5000)]],
      [IPC_CHANNELS.markAllRead, ['extra']],
      [IPC_CHANNELS.checkForUpdates, ['https://evil.example/feed']],
      [IPC_CHANNELS.installUpdate, [{ version: '9.9.9' }]],
      [IPC_CHANNELS.updateSettings, [{ caFile: 'relative/ca.pem' }]],
      [IPC_CHANNELS.markAllRead, [['x'.repeat(5000)]]],
      [IPC_CHANNELS.markRead, [['n1'], 42]],
      [IPC_CHANNELS.openItem, ['n1', '']],
      [IPC_CHANNELS.removeAccount, []],
      [IPC_CHANNELS.removeAccount, [{ id: 'http://x#a' }]],
    ];
    for (const [channel, args] of bad) {
      const result = (await call(channel, args)) as { ok: boolean; code: string; message: string };
      assert.equal(result.ok, false, `${channel} ${JSON.stringify(args).slice(0, 60)}`);
      assert.equal(result.code, 'invalid_payload', channel);
      assert.ok(result.message.length > 0);
    }
    assert.deepEqual(calls, [], 'nothing invalid or untrusted may reach the core');
    assert.ok(
      logged.some((line) => line.includes('refused')),
      'a refused sender is logged',
    );
  });

  test('forwards valid calls one to one, and turns a core failure into a message without a stack', async () => {
    const { core, calls } = recordingCore();
    const routes = createIpcRoutes(core);
    const call = (channel: string, args: unknown[]) =>
      dispatchIpc(routes, { channel, sender: inboxSender, args }, trusted, () => undefined);

    assert.deepEqual(await call(IPC_CHANNELS.markRead, [['n1', 'n2']]), { ok: true });
    await call(IPC_CHANNELS.markRead, [['n3'], 'http://127.0.0.1:4300#ana']);
    await call(IPC_CHANNELS.markAllRead, [['http://127.0.0.1:4300#ana']]);
    await call(IPC_CHANNELS.removeAccount, ['http://127.0.0.1:4300#ana']);
    await call(IPC_CHANNELS.signIn, [
      { serverUrl: 'http://127.0.0.1:4300', username: 'ana', password: 'pw' },
    ]);
    await call(IPC_CHANNELS.updateSettings, [{ sound: false, mutedTypes: ['post_liked'] }]);
    await call(IPC_CHANNELS.pauseNotifications, [60]);
    const snapshot = (await call(IPC_CHANNELS.getSnapshot, [])) as AppSnapshot;
    assert.equal(snapshot.status.state, 'signed-out');
    assert.deepEqual(calls, [
      ['markRead', [['n1', 'n2'], undefined]],
      ['markRead', [['n3'], 'http://127.0.0.1:4300#ana']],
      ['markAllRead', [['http://127.0.0.1:4300#ana']]],
      ['removeAccount', ['http://127.0.0.1:4300#ana']],
      ['signIn', [{ serverUrl: 'http://127.0.0.1:4300', username: 'ana', password: 'pw' }]],
      ['updateSettings', [{ sound: false, mutedTypes: ['post_liked'] }]],
      ['pauseNotifications', [60]],
      ['snapshot', []],
    ]);

    const failing = createIpcRoutes({
      ...core,
      markAllRead: () => Promise.reject(new Error('socket exploded at /secret/path.ts:12')),
    });
    const logged: string[] = [];
    const result = (await dispatchIpc(
      failing,
      { channel: IPC_CHANNELS.markAllRead, sender: inboxSender, args: [] },
      trusted,
      (line) => logged.push(line),
    )) as { ok: boolean; code: string; message: string };
    assert.equal(result.code, 'internal');
    assert.doesNotMatch(result.message, /secret|exploded|\.ts/);
    assert.ok(
      logged.some((line) => line.includes('socket exploded')),
      'the details go to the log',
    );
  });

  test('has a handler for every channel of the contract except the snapshot push', () => {
    const routes = createIpcRoutes(recordingCore().core);
    const expected = Object.values(IPC_CHANNELS).filter((c) => c !== IPC_CHANNELS.snapshot);
    assert.deepEqual(Object.keys(routes).sort(), [...expected].sort());
  });
});

describe('the preload', () => {
  const PRELOAD = join(ROOT, 'dist', 'main', 'electron', 'preload.cjs');
  before(() => {
    assert.ok(existsSync(PRELOAD), `${PRELOAD} is missing: run node scripts/build.mjs first`);
  });

  test('exposes one object, window.tidings, with exactly the TidingsApi methods and no ipcRenderer', async () => {
    const exposed: [string, unknown][] = [];
    const invoked: [string, unknown[]][] = [];
    const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
      ipcRenderer: {
        invoke: (channel: string, ...args: unknown[]) => {
          invoked.push([channel, args]);
          return Promise.resolve({ ok: true });
        },
        on: (channel: string, listener: (...args: unknown[]) => void) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)?.add(listener);
        },
        removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
          listeners.get(channel)?.delete(listener),
      },
    };
    const source = await readFile(PRELOAD, 'utf8');
    const module = { exports: {} };
    // A sandboxed preload gets a `require` that only knows a few modules; this one offers electron.
    runInNewContext(source, {
      module,
      exports: module.exports,
      require: (name: string) => {
        if (name === 'electron') return electron;
        throw new Error(`the preload may not require ${name}`);
      },
    });

    assert.equal(exposed.length, 1, 'exactly one object crosses the bridge');
    const [key, api] = exposed[0] as [string, TidingsApi];
    assert.equal(key, 'tidings');
    const methods: (keyof TidingsApi)[] = [
      'getSnapshot',
      'onSnapshot',
      'checkServer',
      'signIn',
      'signOut',
      'markRead',
      'markAllRead',
      'loadOlder',
      'openItem',
      'updateSettings',
      'pauseNotifications',
      'dismissNotice',
      'removeAccount',
      'checkForUpdates',
      'installUpdate',
    ];
    assert.deepEqual(Object.keys(api).sort(), [...methods].sort());
    for (const method of methods) assert.equal(typeof api[method], 'function', method);
    assert.ok(!JSON.stringify(Object.keys(api)).includes('ipc'), 'no ipcRenderer on the API');

    await api.markRead(['n1']);
    await api.markRead(['n2'], 'http://s#u');
    await api.removeAccount('http://s#u');
    await api.pauseNotifications(60);
    await api.signIn({ serverUrl: 'http://s', username: 'u', password: 'p' });
    assert.deepEqual(invoked, [
      [IPC_CHANNELS.markRead, [['n1']]],
      [IPC_CHANNELS.markRead, [['n2'], 'http://s#u']],
      [IPC_CHANNELS.removeAccount, ['http://s#u']],
      [IPC_CHANNELS.pauseNotifications, [60]],
      [IPC_CHANNELS.signIn, [{ serverUrl: 'http://s', username: 'u', password: 'p' }]],
    ]);

    const received: unknown[] = [];
    const unsubscribe = api.onSnapshot((snapshot) => received.push(snapshot));
    const push = (value: unknown) =>
      [...(listeners.get(IPC_CHANNELS.snapshot) ?? [])].forEach((listener) =>
        listener({ sender: 'secret' }, value),
      );
    push({ n: 1 });
    unsubscribe();
    push({ n: 2 });
    assert.deepEqual(
      received,
      [{ n: 1 }],
      'the listener gets the snapshot only, and stops after unsubscribe',
    );
    assert.equal(
      listeners.get(IPC_CHANNELS.snapshot)?.size,
      0,
      'unsubscribe removes the IPC listener',
    );
  });
});

/** A core stand-in that records what reaches it. */
function recordingCore(): { core: AccountsCore; calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  const snapshot: AppSnapshot = {
    account: null,
    status: { state: 'signed-out' },
    inbox: { items: [], unreadCount: 0, hasMore: false, loadingOlder: false },
    settings: defaultSettings(),
    notice: null,
    about: { appName: 'Tidings', appVersion: '1.0.0', updates: { kind: 'disabled' } },
  };
  const ok =
    (name: string) =>
    async (...args: unknown[]) => {
      calls.push([name, args]);
      return { ok: true as const };
    };
  const core: AccountsCore = {
    start: async () => undefined,
    reloadSettings: () => undefined,
    stop: async () => undefined,
    snapshot: () => {
      calls.push(['snapshot', []]);
      return snapshot;
    },
    subscribe: () => () => undefined,
    wake: () => undefined,
    setInboxVisible: () => undefined,
    checkServer: async (...args: unknown[]) => {
      calls.push(['checkServer', args]);
      return { ok: true as const, version: '1' };
    },
    signIn: ok('signIn'),
    signOut: ok('signOut'),
    markRead: ok('markRead'),
    markAllRead: ok('markAllRead'),
    loadOlder: ok('loadOlder'),
    openItem: ok('openItem'),
    updateSettings: ok('updateSettings'),
    pauseNotifications: ok('pauseNotifications'),
    dismissNotice: async (...args: unknown[]) => {
      calls.push(['dismissNotice', args]);
    },
    removeAccount: ok('removeAccount'),
    checkForUpdates: ok('checkForUpdates'),
    installUpdate: ok('installUpdate'),
  };
  return { core, calls };
}
