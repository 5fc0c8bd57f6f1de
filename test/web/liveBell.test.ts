/**
 * The blog in a real browser against a real server: an author publishes Markdown, a reader
 * subscribes and watches the bell count rise live, opens the post from the bell, likes it, and the
 * author's bell shows the like live.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright';
import { login } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { connectSocket, nextEvent } from '../fixtures/sockets.js';
import { artifactPath, launchChromium } from './browser.js';
import { bellShows, liveBell, PASSWORD, publish, signUp } from './blogUi.js';

let server: RunningServer;
let browser: Browser;
let authorContext: BrowserContext;
let readerContext: BrowserContext;
let author: Page;
let reader: Page;

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  authorContext = await browser.newContext();
  readerContext = await browser.newContext();
  author = await authorContext.newPage();
  reader = await readerContext.newPage();
});

let trayCleanup = (): void => undefined;

after(async () => {
  trayCleanup();
  await browser?.close();
  await server?.stop();
  await server?.cleanup();
});

let firstPostUrl = '';
let secondPostUrl = '';

test('the first account writes a post in Markdown, and its page renders it', async () => {
  await signUp(author, server.url, 'ana');
  firstPostUrl = await publish(author, server.url, {
    title: 'Hello, Tidings',
    body: [
      'A **bold** start with a [link](https://example.com/).',
      '',
      '- one',
      '- two',
      '',
      '```',
      'const x = 1;',
      '```',
    ].join('\n'),
  });
  assert.match(firstPostUrl, /\/posts\/[^/]+$/);
  assert.equal(await author.locator('h1').textContent(), 'Hello, Tidings');
  assert.equal(await author.locator('.post-body strong').textContent(), 'bold');
  assert.equal(await author.locator('.post-body li').count(), 2);
  assert.equal(await author.locator('.post-body pre code').textContent(), 'const x = 1;\n');
  const link = author.locator('.post-body a');
  assert.equal(await link.getAttribute('href'), 'https://example.com/');
  assert.match((await link.getAttribute('rel')) ?? '', /noopener/);
  await author.screenshot({ path: await artifactPath('post-page.png'), fullPage: true });
});

test('a reader subscribes, and the bell goes from 0 to 1 live when the author publishes', async () => {
  await signUp(reader, server.url, 'ben');
  await reader.getByRole('button', { name: 'Subscribe' }).click();
  await reader.getByRole('button', { name: 'Unsubscribe' }).waitFor();
  const bell = await liveBell(reader);
  assert.equal(await bell.count.getAttribute('data-count'), '0');
  // Marks this document: if the page reloaded, the mark would be gone.
  await reader.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));

  secondPostUrl = await publish(author, server.url, {
    title: 'Second post',
    body: 'News for subscribers.',
  });

  await bellShows(reader, 1);
  assert.equal(await bell.count.textContent(), '1');
  assert.equal(await reader.evaluate(() => Reflect.get(globalThis, '__sameDocument')), true);
});

test('clicking the notification in the bell opens the post, and the count returns to 0', async () => {
  // The reader's tray app: another device on the same socket.io contract, signed in with a token.
  const { token } = await login(server.url, 'ben', PASSWORD, 'tray app');
  const tray = await connectSocket(server.url, token);
  trayCleanup = () => tray.socket.close();
  assert.equal(tray.sync.unreadCount, 1);
  const trayBadge = nextEvent(tray.socket, 'unread:count', 15_000);

  const bell = await liveBell(reader);
  await bell.button.click();
  await bell.menu.waitFor({ state: 'visible' });
  assert.equal(await bell.button.getAttribute('aria-expanded'), 'true');
  const item = bell.menu.locator('.bell-list a').first();
  assert.match((await item.textContent()) ?? '', /Second post/);
  await reader.screenshot({ path: await artifactPath('bell-menu.png') });

  await item.click();
  await reader.waitForURL(secondPostUrl);
  assert.equal(await reader.locator('h1').textContent(), 'Second post');
  const after = await liveBell(reader);
  await bellShows(reader, 0);
  assert.equal(await after.count.textContent(), '0');
  // Read state belongs to the server: the tray app's badge dropped too.
  assert.equal((await trayBadge).unreadCount, 0);
});

test('the reader likes the post without a reload, and the author bell shows the like live', async () => {
  await author.goto(firstPostUrl);
  const authorBell = await liveBell(author);
  assert.equal(await authorBell.count.getAttribute('data-count'), '0');

  await reader.goto(firstPostUrl);
  await reader.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));
  await reader.getByRole('button', { name: 'Like', exact: true }).click();
  await reader.getByRole('button', { name: 'Unlike' }).waitFor();
  assert.equal(await reader.locator('[data-like-count]').textContent(), '1 like');
  assert.equal(await reader.evaluate(() => Reflect.get(globalThis, '__sameDocument')), true);

  await bellShows(author, 1);
  await authorBell.button.click();
  const item = authorBell.menu.locator('.bell-list a').first();
  await item.waitFor();
  assert.match((await item.textContent()) ?? '', /ben/);
  assert.match((await item.textContent()) ?? '', /Hello, Tidings/);

  await authorBell.menu.getByRole('button', { name: 'Mark all read' }).click();
  await bellShows(author, 0);
});

test('the home page lists both posts, newest first, with their likes', async () => {
  await reader.goto(server.url);
  const titles = await reader.locator('.post-card h2').allTextContents();
  assert.deepEqual(titles, ['Second post', 'Hello, Tidings']);
  assert.match((await reader.locator('.post-card').nth(1).textContent()) ?? '', /1 like\b/);
  await reader.screenshot({ path: await artifactPath('home.png'), fullPage: true });
  await reader.setViewportSize({ width: 390, height: 800 });
  await reader.screenshot({ path: await artifactPath('home-narrow.png'), fullPage: true });
});
