/**
 * The inbox window, used as a person would: in Debian's Chromium, on the real core, against a real
 * server process. Reader signs in; Writer publishes and likes over HTTP; the window follows live.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { runCli, startServer, type RunningServer } from '../fixtures/server.js';
import {
  markRead,
  publish,
  like,
  setAuthor,
  signUp,
  subscribe,
  TEST_PASSWORD,
  type TestUser,
} from '../fixtures/api.js';
import type { Settings } from '../../contract/ipc.js';
import { linkOf, titleOf } from '../../contract/wire.js';
import {
  ARTIFACTS_DIR,
  openWindow,
  startInboxWindow,
  waitUntil,
  type AppUnderTest,
} from './harness.js';

async function freePortWithNothingOnIt(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
  const address = probe.address();
  await new Promise<void>((closed) => probe.close(() => closed()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const READER_PASSWORD = TEST_PASSWORD;

const itemIn = (page: Page, text: string | RegExp) =>
  page.getByRole('article').filter({ hasText: text });

describe('the inbox window, on the real core and a real server', () => {
  let server: RunningServer;
  let app: AppUnderTest;
  let writer: TestUser;
  let reader: TestUser;

  const shot = (name: string) =>
    app.page.screenshot({ path: join(ARTIFACTS_DIR, `inbox-window-${name}.png`) });
  const item = (text: string | RegExp) => itemIn(app.page, text);

  before(async () => {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    server = await startServer();
    writer = await signUp(server.url, 'writer');
    reader = await signUp(server.url, 'reader');
    await subscribe(server.url, reader.token);
    app = await startInboxWindow();
  });

  after(async () => {
    await app?.close();
    await server?.stop();
    await server?.cleanup();
  });

  it('explains an unreachable server, a server that is not Tidings and a wrong password', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await shot('sign-in');

    const signIn = async (serverUrl: string, password: string) => {
      await page.getByLabel('Server').fill(serverUrl);
      await page.getByLabel('Username').fill('reader');
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };

    await signIn(`http://127.0.0.1:${await freePortWithNothingOnIt()}`, READER_PASSWORD);
    await page.locator('#sign-in-server-error').filter({ hasText: /reach/i }).waitFor();

    // The window's own page server answers HTTP but has no /healthz: not a Tidings server.
    await signIn(new URL(page.url()).origin, READER_PASSWORD);
    await page
      .locator('#sign-in-server-error')
      .filter({ hasText: /Tidings/ })
      .waitFor();

    // A private CA's file that is not there is named at its own field, before any server call.
    await page.getByText('Private certificate authority').click();
    await page.getByLabel('Certificate file').fill('/nowhere/ca.pem');
    await signIn(server.url, READER_PASSWORD);
    await page
      .locator('#sign-in-ca-error')
      .filter({ hasText: /cannot be read/ })
      .waitFor();
    await shot('sign-in-ca-file');
    assert.equal(app.core.snapshot().settings.caFile, '', 'a bad CA file is not saved');
    await page.getByLabel('Certificate file').fill('');

    await signIn(server.url, 'not-the-password');
    await page.locator('#sign-in-password-error').filter({ hasText: /./ }).waitFor();
    assert.equal(app.core.snapshot().account, null, 'a refused sign-in leaves nobody signed in');
    await shot('sign-in-wrong-password');
  });

  it('signs in and shows an empty, connected inbox', async () => {
    const { page } = app;
    await page.getByLabel('Password').fill(READER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByText('No notifications yet').waitFor();
    await page.getByText('All caught up').waitFor();
    await waitUntil('online', () => app.core.snapshot().status.state === 'online');
    assert.equal(await page.locator('.banner').isHidden(), true, 'no banner while online');
  });

  it('shows a post published by another user live, with unread 1', async () => {
    const { page } = app;
    await publish(server.url, writer.token, 'Shipping the tray app');
    await item('Shipping the tray app').waitFor();
    await page.getByText('1 unread').waitFor();
    assert.equal(await page.title(), 'Tidings (1)');
    const label = await item('Shipping the tray app').getAttribute('aria-label');
    assert.match(label ?? '', /^Unread\. New post: /);
  });

  it('opens the post when its title is clicked, and marks it read', async () => {
    const { page } = app;
    const first = app.core.snapshot().inbox.items[0];
    const post = first?.type === 'new_post' ? first.post : undefined;
    assert.ok(post, 'the item is in the core inbox');
    await page.getByRole('link', { name: 'Shipping the tray app' }).click();
    await waitUntil('the opener got the post URL', () => app.shell.opened.includes(post.url));
    await page.getByText('All caught up').waitFor();
    await page.locator('article.read').filter({ hasText: 'Shipping the tray app' }).waitFor();
    assert.equal(page.url().startsWith('http://127.0.0.1'), true, 'the window did not navigate');
  });

  it('filters posts, likes and unread items, with an empty state for each', async () => {
    const { page } = app;
    await setAuthor(server.url, writer.token, 'reader');
    const own = await publish(server.url, reader.token, 'Why fan-out on read');
    await like(server.url, writer.token, own.id);
    await publish(server.url, writer.token, 'Group commit in lowdb');
    await item(/liked/).waitFor();
    await item('Group commit in lowdb').waitFor();
    await page.getByText('2 unread').waitFor();
    await shot('inbox');

    await page.getByRole('button', { name: 'Likes', exact: true }).click();
    await page.getByRole('article').first().waitFor();
    const likeTypes = await page
      .getByRole('article')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('class')));
    assert.ok(likeTypes.length >= 1);
    assert.ok(
      likeTypes.every((type) => type?.includes('type-post_liked')),
      String(likeTypes),
    );

    await page.getByRole('button', { name: 'Posts', exact: true }).click();
    await item('Group commit in lowdb').waitFor();
    assert.equal(await item(/liked/).count(), 0);

    await page.getByRole('button', { name: 'Unread', exact: true }).click();
    await item('Group commit in lowdb').waitFor();
    assert.equal(await item('Shipping the tray app').count(), 0, 'read items are hidden');

    await page.getByRole('button', { name: 'All', exact: true }).click();
    assert.equal(await page.getByRole('article').count(), 3);
  });

  it('works from the keyboard: j/k move, m marks read, Enter opens', async () => {
    const { page } = app;
    await page.locator('.list').focus();
    await page.keyboard.press('j');
    const first = page.locator('article:focus');
    await first.waitFor();
    const firstId = await first.getAttribute('data-id');
    await page.keyboard.press('ArrowDown');
    await waitUntil('focus moved down', async () => {
      const id = await page.locator('article:focus').getAttribute('data-id');
      return id !== null && id !== firstId;
    });
    await page.keyboard.press('k');
    await waitUntil('focus moved back up', async () => {
      return (await page.locator('article:focus').getAttribute('data-id')) === firstId;
    });

    await page.keyboard.press('m');
    await page.locator(`article.read[data-id="${firstId}"]`).waitFor();
    await page.getByText('1 unread').waitFor();

    const found = app.core.snapshot().inbox.items.find((i) => i.id === firstId);
    const url = found && linkOf(found);
    await page.locator(`article[data-id="${firstId}"]`).focus();
    await page.keyboard.press('Enter');
    await waitUntil('Enter opened the post', () => app.shell.opened.at(-1) === url);
  });

  it('keeps the keyboard in place when a marked item leaves the Unread view', async () => {
    const { page } = app;
    await publish(server.url, writer.token, 'Keyboard one');
    await publish(server.url, writer.token, 'Keyboard two');
    await page.getByText('3 unread').waitFor();
    await page.getByRole('button', { name: 'Unread', exact: true }).click();
    await page.locator('.list').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.locator('article:focus').filter({ hasText: 'Keyboard one' }).waitFor();
    await page.keyboard.press('m');
    // The middle item went away: focus takes its place (the one below), not the top of the list.
    await page.locator('article:focus').filter({ hasText: /liked/ }).waitFor();
    await page.keyboard.press('k');
    await page.locator('article:focus').filter({ hasText: 'Keyboard two' }).waitFor();
    await page.keyboard.press('m');
    await page.locator('article:focus').filter({ hasText: /liked/ }).waitFor();
    await page.getByText('1 unread').waitFor();
    await page.getByRole('button', { name: 'All', exact: true }).click();
  });

  it('marks one item read with its own button', async () => {
    const { page } = app;
    const row = page.locator('article.unread').first();
    const title = (await row.getByRole('link').textContent()) ?? '';
    await row.hover();
    await row.getByRole('button', { name: `Mark read: ${title}` }).click();
    await page.locator('article.read').filter({ hasText: title }).waitFor();
    await page.getByText('All caught up').waitFor();
  });

  it('follows read state changed on another device', async () => {
    const { page } = app;
    await publish(server.url, writer.token, 'Read on the phone');
    await page.locator('article.unread').filter({ hasText: 'Read on the phone' }).waitFor();
    const id = app.core.snapshot().inbox.items.find((i) => titleOf(i) === 'Read on the phone')?.id;
    assert.ok(id);
    await markRead(server.url, reader.token, { ids: [id] });
    await page.locator('article.read').filter({ hasText: 'Read on the phone' }).waitFor();
    await page.getByText('All caught up').waitFor();
  });

  it('marks everything read with one click, everywhere', async () => {
    const { page } = app;
    await publish(server.url, writer.token, 'One more');
    await publish(server.url, writer.token, 'And another');
    await page.getByText('2 unread').waitFor();
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByText('All caught up').waitFor();
    assert.equal(await page.locator('article.unread').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Mark all read' }).isDisabled(), true);
    await waitUntil('the badge shows 0', () => app.shell.badges.at(-1)?.unreadCount === 0);
    await page.getByRole('button', { name: 'Unread', exact: true }).click();
    await page.getByText('Nothing unread. Nice.').waitFor();
    await page.getByRole('button', { name: 'All', exact: true }).click();
  });

  it('shows a hostile post title as text and runs nothing', async () => {
    const { page } = app;
    const hostile = `<img src=x onerror="document.title='pwned';alert(1)"><script>alert(2)</script>`;
    await publish(server.url, writer.token, hostile);
    await page.getByRole('link', { name: hostile }).waitFor();
    assert.equal(await page.locator('.list img, .list script').count(), 0, 'no markup was created');
    assert.equal(await page.title(), 'Tidings (1)');
    assert.deepEqual(app.dialogs, []);
    assert.deepEqual(
      app.errors.filter((error) => /Content Security Policy|pwned/i.test(error)),
      [],
      'nothing even tried to run',
    );
  });

  it('shows the offline banner when the server stops, and clears it when it returns', async () => {
    const { page } = app;
    const { port, dataDir } = server;
    await server.stop();
    await page
      .locator('.banner')
      .filter({ hasText: /Offline — retrying (in \d+s|now)/ })
      .waitFor();
    await shot('offline');

    // An action that needs the server says why it did not happen, and the notice can be dismissed.
    await page.locator('article.unread').first().focus();
    await page.keyboard.press('m');
    const notice = page.getByRole('alert').filter({ hasText: /./ });
    await notice.waitFor();
    assert.equal(await notice.count(), 1, 'one notice, not one per channel');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await page.locator('.notice').waitFor({ state: 'hidden' });
    assert.equal(await page.locator('article.unread').count(), 1, 'the item stayed unread');

    server = await startServer({ port, dataDir });
    await page.locator('.banner').waitFor({ state: 'hidden', timeout: 30_000 });
    await publish(server.url, writer.token, 'Back after the restart');
    await item('Back after the restart').waitFor();
    await page.getByText('2 unread').waitFor();
  });

  it('brings back the sign-in screen, prefilled and saying why, when the sign-in is revoked', async () => {
    const { page } = app;
    const { port, dataDir } = server;
    await server.stop();
    const revoked = await runCli(['tokens', 'revoke', 'reader', '--data-dir', dataDir]);
    assert.equal(revoked.code, 0, revoked.stderr);
    server = await startServer({ port, dataDir });

    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 30_000 });
    await page.locator('.session-note').filter({ hasText: /./ }).waitFor();
    assert.equal(await page.getByLabel('Username').inputValue(), 'reader');
    assert.equal(
      await page.locator('.banner').isHidden(),
      true,
      'the screen says it, not a banner',
    );
    await shot('signed-out');

    await page.getByLabel('Password').fill(READER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await itemIn(page, 'Back after the restart').waitFor();
    await page.locator('.session-note').waitFor({ state: 'detached' });
  });

  it('follows the OS into dark mode', async () => {
    const dark = await openWindow(app.core, { colorScheme: 'dark' });
    try {
      await dark.page.getByRole('heading', { name: 'Inbox' }).waitFor();
      await dark.page.getByRole('article').first().waitFor();
      const background = await dark.page.evaluate(
        'getComputedStyle(document.body).backgroundColor',
      );
      assert.notEqual(background, 'rgb(246, 247, 249)', 'not the light background');
      await dark.page.screenshot({ path: join(ARTIFACTS_DIR, 'inbox-window-dark.png') });
    } finally {
      await dark.close();
    }
  });

  it('opens on Settings when the tray menu asks for #settings, and back to the inbox', async () => {
    const { page } = app;
    await page.evaluate("location.hash = '#settings'");
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.evaluate("location.hash = ''");
    await page.getByRole('heading', { name: 'Settings' }).waitFor({ state: 'detached' });
  });

  it('saves settings as they are changed, pauses and resumes, and signs out', async () => {
    const { page } = app;
    const saved = async (): Promise<Settings> =>
      JSON.parse(await readFile(app.settingsPath, 'utf8')) as Settings;

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await shot('settings');

    await page.getByRole('switch', { name: /Play a sound/ }).click();
    await waitUntil('sound off saved', async () => (await saved()).sound === false);

    await page.getByRole('switch', { name: 'Likes on my posts' }).click();
    await waitUntil('likes muted', async () => (await saved()).mutedTypes.includes('post_liked'));

    await page.getByRole('switch', { name: /Quiet hours/ }).click();
    await page.getByLabel('From', { exact: true }).fill('21:30');
    await waitUntil(
      'quiet hours saved',
      async () =>
        (await saved()).quietHours.enabled && (await saved()).quietHours.start === '21:30',
    );

    await page.getByRole('button', { name: 'Pause for 1 hour' }).click();
    await page.getByText(/Paused until/).waitFor();
    assert.ok(((await saved()).pausedUntil ?? 0) > Date.now());
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('Notifications are on.').waitFor();

    await page.getByRole('switch', { name: /Start Tidings at login/ }).click();
    await waitUntil('start at login saved', async () => (await saved()).startAtLogin);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByLabel('Server').inputValue(), server.url.replace(/\/$/, ''));
    assert.equal(app.core.snapshot().account, null);
  });
});

describe('scrolling back through a long inbox', () => {
  let server: RunningServer;
  let app: AppUnderTest;

  before(async () => {
    server = await startServer();
    const writer = await signUp(server.url, 'writer');
    const reader = await signUp(server.url, 'reader');
    await subscribe(server.url, reader.token);
    for (let n = 1; n <= 75; n += 1) await publish(server.url, writer.token, `Post number ${n}`);
    app = await startInboxWindow();
  });

  after(async () => {
    await app?.close();
    await server?.stop();
    await server?.cleanup();
  });

  it('loads older items as the reader nears the bottom, until there are no more', async () => {
    const { page } = app;
    await page.getByLabel('Server').fill(server.url);
    await page.getByLabel('Username').fill('reader');
    await page.getByLabel('Password').fill(READER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await itemIn(page, 'Post number 75').waitFor();
    await page.getByText('75 unread').waitFor();
    const firstPage = await page.getByRole('article').count();
    assert.ok(firstPage < 75, `the first page is a page, not everything (${firstPage})`);
    assert.equal(await itemIn(page, 'Post number 1').count(), 0);

    await page.locator('.list').hover();
    await waitUntil('the oldest post arrived', async () => {
      await page.mouse.wheel(0, 4000);
      return (await itemIn(page, /Post number 1\b/).count()) === 1;
    });
    await page.getByText('That’s everything.').waitFor();
    assert.equal(await page.getByRole('article').count(), 75);
    assert.equal(app.core.snapshot().inbox.hasMore, false);
  });
});
