/**
 * axe-core (test/fixtures/axe.ts) over every view and state of the inbox window, in light and dark:
 * sign-in (empty, refused, checking the server, waiting for the keychain), the inbox (empty, read
 * and unread items, an announcement, each filter, loading older, a notice, offline, server
 * incompatible), Settings (with the global shortcut, and the certificate authority field set and
 * refused) and About (every update state, with a server and signed out). No violations.
 *
 * The window is the real renderer in Chromium through the harness, with its strict CSP. States the
 * real core passes through in a blink (checking, loading older, the keychain wait) are held still
 * here by a backend that serves set snapshots through the same preload API; the flows themselves
 * are exercised against the real core in inboxWindow.test.ts. One window for the file: dark mode
 * is the same page with the color scheme switched.
 */
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import type {
  AccountSummary,
  ActionResult,
  AppSnapshot,
  ConnectionStatus,
  InboxItem,
} from '../../contract/ipc.js';
import type { NotificationItem } from '../../contract/wire.js';
import { defaultSettings } from '../../main/core/index.js';
import { assertNoViolations } from '../fixtures/axe.js';
import { goToHash, openWindow, type InboxWindow, type WindowBackend } from './harness.js';

const SERVER = 'https://blog.example.org';
const ACCOUNT = { serverUrl: SERVER, username: 'reader' };
const SIGNED_OUT: AppSnapshot = {
  account: null,
  status: { state: 'signed-out' },
  inbox: { items: [], unreadCount: 0, hasMore: false, loadingOlder: false },
  settings: { ...defaultSettings(), serverUrl: SERVER, username: 'reader' },
  notice: null,
  about: { appName: 'Tidings', appVersion: '1.4.0', updates: { kind: 'disabled' } },
};

function item(seq: number, type: 'new_post' | 'post_liked', read: boolean): NotificationItem {
  const title = `Post number ${seq}`;
  return {
    id: `n${seq}`,
    seq,
    type,
    message: type === 'new_post' ? `Writer published ${title}` : `Writer liked ${title}`,
    post: { id: `p${seq}`, title, url: `${SERVER}/posts/p${seq}` },
    actor: { id: 'u1', name: 'writer' },
    createdAt: new Date(Date.now() - seq * 60_000).toISOString(),
    read,
  };
}
const ANNOUNCEMENT: NotificationItem = {
  id: 'n4',
  seq: 4,
  type: 'announcement',
  message: 'Announcement from admin: Maintenance tonight',
  announcement: { title: 'Maintenance tonight', text: 'Down from 22:00.' },
  actor: { id: 'u0', name: 'admin' },
  createdAt: new Date(Date.now() - 4 * 60_000).toISOString(),
  read: false,
};
const ITEMS = [
  item(1, 'new_post', false),
  item(2, 'post_liked', false),
  item(3, 'new_post', true),
  ANNOUNCEMENT,
];

const OTHER = 'https://notes.example.net:8443';
const SEVERAL: AccountSummary[] = [
  {
    id: `${SERVER}#reader`,
    serverUrl: SERVER,
    username: 'reader',
    status: { state: 'online' },
    unreadCount: 2,
  },
  {
    id: `${OTHER}#reader`,
    serverUrl: OTHER,
    username: 'reader',
    status: { state: 'offline', retryAt: Date.now() + 60_000 },
    unreadCount: 1,
  },
  {
    id: `${OTHER}#editor`,
    serverUrl: OTHER,
    username: 'editor',
    status: {
      state: 'waiting-for-keychain',
      retryAt: Date.now() + 60_000,
      reason: 'The keychain is locked.',
    },
    unreadCount: 0,
  },
  {
    id: `${SERVER}#old`,
    serverUrl: SERVER,
    username: 'old',
    status: { state: 'signed-out', reason: 'The server no longer accepts this sign-in.' },
    unreadCount: 0,
  },
];
/** The items of several accounts, each tagged with its account, as createAccountsCore sends them. */
const SEVERAL_ITEMS: InboxItem[] = ITEMS.map((entry, index) => ({
  ...entry,
  account: SEVERAL[index % 2]?.id ?? '',
}));

/** A backend that shows the snapshot it is given; checkServer waits while `holdCheck` is set. */
function heldBackend() {
  let current = SIGNED_OUT;
  const listeners = new Set<(snapshot: AppSnapshot) => void>();
  let releaseCheck: (() => void) | null = null;
  let holdCheck = false;
  let settingsRefusal: string | null = null;
  const ok = (): Promise<ActionResult> => Promise.resolve({ ok: true });
  const backend: WindowBackend = {
    snapshot: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    checkServer: () =>
      holdCheck
        ? new Promise((resolve) => {
            releaseCheck = () => resolve({ ok: true, version: '1' });
          })
        : Promise.resolve({ ok: true, version: '1' }),
    signIn: () =>
      Promise.resolve({
        ok: false,
        code: 'unauthorized',
        message: 'That username and password do not match.',
      }),
    signOut: ok,
    markRead: ok,
    markAllRead: ok,
    loadOlder: ok,
    openItem: ok,
    updateSettings: () => {
      const message = settingsRefusal;
      settingsRefusal = null;
      return Promise.resolve(
        message === null ? { ok: true } : { ok: false, code: 'invalid_ca_file', message },
      );
    },
    pauseNotifications: ok,
    dismissNotice: () => Promise.resolve(),
    removeAccount: ok,
    checkForUpdates: ok,
    installUpdate: ok,
  };
  return {
    backend,
    show(next: Partial<AppSnapshot>) {
      current = { ...current, ...next };
      for (const listener of listeners) listener(current);
    },
    /** Replaces the whole snapshot (a field left out is gone, as `accounts` with one account). */
    replace(next: AppSnapshot) {
      current = next;
      for (const listener of listeners) listener(current);
    },
    holdNextCheck() {
      holdCheck = true;
    },
    refuseNextSettings(message: string) {
      settingsRefusal = message;
    },
    release() {
      holdCheck = false;
      releaseCheck?.();
    },
  };
}

const held = heldBackend();
let window: InboxWindow;

before(async () => {
  window = await openWindow(held.backend);
});

after(async () => {
  held.release();
  await window?.close();
});

const signedIn = (status: ConnectionStatus, inbox: Partial<AppSnapshot['inbox']> = {}) =>
  held.show({
    account: ACCOUNT,
    status,
    inbox: { items: [], unreadCount: 0, hasMore: false, loadingOlder: false, ...inbox },
    notice: null,
  });

async function signInForm(page: Page): Promise<void> {
  await page.getByLabel('Server').fill(SERVER);
  await page.getByLabel('Username').fill('reader');
  await page.getByLabel('Password').fill('a password');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

for (const colorScheme of ['light', 'dark'] as const) {
  describe(`every view of the inbox window passes axe (${colorScheme})`, () => {
    let page: Page;
    before(async () => {
      page = window.page;
      await page.emulateMedia({ colorScheme });
      held.show(SIGNED_OUT);
    });

    it('sign-in: empty, refused, and checking the server', async () => {
      held.show(SIGNED_OUT);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await assertNoViolations(page, 'the empty sign-in form');

      await signInForm(page);
      await page.locator('#sign-in-password-error').filter({ hasText: /./ }).waitFor();
      await assertNoViolations(page, 'the sign-in form with an error');

      await page.getByText('Private certificate authority').click();
      await page.getByLabel('Certificate file').waitFor();
      await assertNoViolations(page, 'the sign-in form with the certificate field open');

      held.holdNextCheck();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('form[aria-busy="true"]').waitFor();
      await assertNoViolations(page, 'the sign-in form checking the server');
      held.release();
      await page.locator('form[aria-busy="false"]').waitFor();
      await page.getByText('Private certificate authority').click();
    });

    it('sign-in, as the session was revoked', async () => {
      held.show({ ...SIGNED_OUT, status: { state: 'signed-out', reason: 'You were signed out.' } });
      await page.getByText('You were signed out.').waitFor();
      await assertNoViolations(page, 'the sign-in form saying why');
    });

    it('waiting for the keychain', async () => {
      signedIn({
        state: 'waiting-for-keychain',
        retryAt: Date.now() + 60_000,
        reason: 'The keychain is locked.',
      });
      await page.getByText(/Waiting for the keychain/).waitFor();
      await assertNoViolations(page, 'the window waiting for the keychain');
    });

    it('the inbox: empty', async () => {
      signedIn({ state: 'online' });
      await page.getByText('No notifications yet').waitFor();
      await assertNoViolations(page, 'the empty inbox');
    });

    it('the inbox: unread and read items, and each filter', async () => {
      signedIn({ state: 'online' }, { items: ITEMS, unreadCount: 3, hasMore: true });
      await page.getByRole('article').first().waitFor();
      await assertNoViolations(page, 'the inbox with read and unread items');
      for (const filter of ['Unread', 'Posts', 'Likes', 'Announcements', 'All']) {
        await page.getByRole('button', { name: filter, exact: true }).click();
        await page.getByRole('button', { name: filter, exact: true, pressed: true }).waitFor();
        await assertNoViolations(page, `the inbox filtered to ${filter}`);
      }
    });

    it('the inbox: loading older items', async () => {
      signedIn(
        { state: 'online' },
        { items: ITEMS, unreadCount: 3, hasMore: true, loadingOlder: true },
      );
      await page.locator('[aria-busy="true"]').first().waitFor();
      await assertNoViolations(page, 'the inbox loading older items');
    });

    it('the inbox: a notice from the app', async () => {
      signedIn({ state: 'online' }, { items: ITEMS, unreadCount: 3 });
      held.show({ notice: { id: 7, kind: 'error', message: 'Could not mark that read.' } });
      await page.getByText('Could not mark that read.').waitFor();
      await assertNoViolations(page, 'the inbox with a notice');
    });

    it('the inbox: offline and retrying, connecting, server incompatible', async () => {
      signedIn(
        { state: 'offline', retryAt: Date.now() + 60_000, reason: 'The server is unreachable.' },
        { items: ITEMS, unreadCount: 3 },
      );
      await page.locator('.banner:not([hidden])').waitFor();
      await assertNoViolations(page, 'the inbox offline');
      signedIn({ state: 'connecting' }, { items: ITEMS, unreadCount: 3 });
      await assertNoViolations(page, 'the inbox connecting');
      signedIn(
        { state: 'server-incompatible', message: 'This server speaks a newer protocol.' },
        { items: ITEMS, unreadCount: 3 },
      );
      await page.getByText(/newer protocol/).waitFor();
      await assertNoViolations(page, 'the inbox with an incompatible server');
    });

    it('settings, every section', async () => {
      signedIn({ state: 'online' }, { items: ITEMS, unreadCount: 3 });
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      await assertNoViolations(page, 'Settings');
      held.show({
        settings: {
          ...SIGNED_OUT.settings,
          accounts: [ACCOUNT],
          pausedUntil: Date.now() + 3_600_000,
          quietHours: { enabled: true, start: '22:00', end: '07:00' },
          mutedTypes: ['post_liked'],
          inboxShortcut: 'CommandOrControl+Alt+Shift+T',
        },
      });
      await assertNoViolations(
        page,
        'Settings with a pause, quiet hours, a muted type and a shortcut',
      );
      await page.getByRole('button', { name: 'Back to inbox' }).click();
      await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    });

    it('several accounts: labelled items, the account filter, the account list, Add account', async () => {
      held.replace({
        ...SIGNED_OUT,
        account: ACCOUNT,
        status: { state: 'online' },
        inbox: { items: SEVERAL_ITEMS, unreadCount: 3, hasMore: false, loadingOlder: false },
        accounts: SEVERAL,
        settings: {
          ...SIGNED_OUT.settings,
          accounts: SEVERAL.map(({ serverUrl, username }) => ({ serverUrl, username })),
        },
      });
      await page.locator('.item-account').first().waitFor();
      await page.getByText(/^Not connected: reader@notes\.example\.net:8443 \(offline\)/).waitFor();
      await assertNoViolations(page, 'the inbox of several accounts, some not connected');
      await page.getByLabel('Account', { exact: true }).selectOption(SEVERAL[1]?.id ?? '');
      await page.getByText('1 unread').waitFor();
      await assertNoViolations(page, 'the inbox filtered to one account');
      await page.getByLabel('Account', { exact: true }).selectOption('');

      await page.getByRole('button', { name: 'Settings' }).click();
      await page
        .getByRole('region', { name: 'Accounts' })
        .getByText('Waiting for the keychain')
        .waitFor();
      await assertNoViolations(page, 'Settings listing several accounts in every state');

      await page.getByRole('button', { name: 'Add account' }).click();
      await page.getByRole('heading', { name: 'Add account' }).waitFor();
      await assertNoViolations(page, 'the Add account form');
      await signInForm(page);
      await page.locator('#sign-in-password-error').filter({ hasText: /./ }).waitFor();
      await assertNoViolations(page, 'the Add account form with an error');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Back to inbox' }).click();
      await page.getByRole('heading', { name: 'Inbox' }).waitFor();
      held.replace(SIGNED_OUT);
    });

    it('settings: the certificate authority field, set and refused', async () => {
      signedIn({ state: 'online' });
      held.show({ settings: { ...SIGNED_OUT.settings, caFile: '/etc/ssl/private-ca.pem' } });
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Private certificate authority' }).waitFor();
      await assertNoViolations(page, 'Settings with a certificate authority file');
      held.refuseNextSettings('The certificate authority file /nope.pem cannot be read (ENOENT).');
      await page.getByLabel('Certificate file').fill('/nope.pem');
      await page.getByRole('button', { name: 'Use this file' }).click();
      await page
        .locator('#setting-ca-error')
        .filter({ hasText: /ENOENT/ })
        .waitFor();
      await assertNoViolations(page, 'Settings with a refused certificate authority file');
      held.show({ settings: SIGNED_OUT.settings });
      await page.getByRole('button', { name: 'Back to inbox' }).click();
      await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    });

    it('about: every update state, with and without a server', async () => {
      signedIn({ state: 'online' });
      await goToHash(page, '#about');
      await page.getByRole('heading', { name: 'About Tidings' }).waitFor();
      const states: [AppSnapshot['about']['updates'], RegExp][] = [
        [{ kind: 'idle' }, /Not checked/],
        [{ kind: 'checking' }, /Checking for updates/],
        [{ kind: 'disabled' }, /does not update itself/],
        [{ kind: 'up-to-date', version: '1.4.0' }, /is up to date/],
        [{ kind: 'available', version: '1.5.0' }, /is downloading/],
        [{ kind: 'downloaded', version: '1.5.0' }, /Restart to install it now/],
        [{ kind: 'error', message: 'the feed answered 404' }, /Could not check/],
      ];
      for (const [updates, text] of states) {
        held.show({ about: { ...SIGNED_OUT.about, updates } });
        await page.locator('.update-status').filter({ hasText: text }).waitFor();
        await assertNoViolations(page, `About, updates ${updates.kind}`);
      }
      held.show({ ...SIGNED_OUT, status: { state: 'signed-out' } });
      await page.getByText('Not signed in to a server.').waitFor();
      await assertNoViolations(page, 'About, signed out');
      await goToHash(page, '');
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    });
  });
}
