/**
 * The blog with JavaScript switched off: reading, signing up and in, writing, liking,
 * subscribing, notifications and the admin page all work as plain forms (POST-redirect-GET).
 * Bad input comes back inline with the text kept; unknown posts get a 404 page; a closed
 * registration is refused; the pages carry a strict CSP and serve their own assets.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { artifactPath, launchChromium } from './browser.js';
import { PASSWORD, publish, signUp } from './blogUi.js';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let author: Page;
let reader: Page;
let postUrl = '';

async function pageWithoutScripts(options: { colorScheme?: 'dark' } = {}): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false, ...options });
  contexts.push(context);
  return context.newPage();
}

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  author = await pageWithoutScripts();
  reader = await pageWithoutScripts();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await server?.cleanup();
});

test('pages carry a strict CSP and load only their own assets', async () => {
  const response = await author.goto(server.url);
  assert.equal(response?.status(), 200);
  const csp = response?.headers()['content-security-policy'] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /style-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  const script = await author.request.get(`${server.url}/assets/app.js`);
  assert.equal(script.status(), 200);
  assert.match(script.headers()['content-type'] ?? '', /javascript/);
  const style = await author.request.get(`${server.url}/assets/style.css`);
  assert.match(style.headers()['content-type'] ?? '', /text\/css/);
  const html = await author.content();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc="\/assets\/app\.js")/);
  assert.doesNotMatch(html, /style="|<style/);
  assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)/);
});

test('a sign-up with bad input shows the errors inline and keeps what was typed', async () => {
  await author.goto(`${server.url}/signup`);
  await author.getByLabel('Username').fill('a!');
  await author.getByLabel('Password').fill('short');
  await author.getByRole('button', { name: 'Sign up' }).click();
  assert.equal(await author.getByLabel('Username').inputValue(), 'a!');
  assert.match((await author.locator('[data-error-for="username"]').textContent()) ?? '', /\w/);
  assert.match(
    (await author.locator('[data-error-for="password"]').textContent()) ?? '',
    /at least 8/,
  );
  assert.equal(await author.getByLabel('Username').getAttribute('aria-invalid'), 'true');
});

test('the first account can write; a post with no title comes back with the body kept', async () => {
  await signUp(author, server.url, 'ana');
  await author.goto(`${server.url}/compose`);
  await author.getByLabel('Body').fill('Keep *every* word of this.');
  await author.getByRole('button', { name: 'Publish' }).click();
  assert.match((await author.locator('[data-error-for="title"]').textContent()) ?? '', /required/);
  assert.equal(await author.getByLabel('Body').inputValue(), 'Keep *every* word of this.');
  await author.getByLabel('Title').fill('Plain forms');
  await author.getByRole('button', { name: 'Publish' }).click();
  await author.waitForURL(/\/posts\/[^/]+$/);
  postUrl = author.url();
  assert.equal(await author.locator('.post-body em').textContent(), 'every');
});

test('an unknown post gets a 404 page', async () => {
  const response = await reader.goto(`${server.url}/posts/no-such-post`);
  assert.equal(response?.status(), 404);
  assert.equal(await reader.locator('h1').textContent(), 'Not found');
  const elsewhere = await reader.goto(`${server.url}/no/such/page`);
  assert.equal(elsewhere?.status(), 404);
});

test('a reader without scripts subscribes, likes and unlikes', async () => {
  await signUp(reader, server.url, 'ben');
  assert.equal(await reader.getByRole('link', { name: 'Write' }).count(), 0);
  await reader.goto(postUrl);
  await reader.getByRole('button', { name: 'Subscribe' }).click();
  await reader.waitForURL(postUrl);
  await reader.getByRole('button', { name: 'Unsubscribe' }).waitFor();

  await reader.getByRole('button', { name: 'Like', exact: true }).click();
  await reader.waitForURL(postUrl);
  assert.equal(await reader.locator('[data-like-count]').textContent(), '1 like');
  assert.equal(
    await reader.getByRole('button', { name: 'Unlike' }).getAttribute('aria-pressed'),
    'true',
  );

  await reader.getByRole('button', { name: 'Unlike' }).click();
  await reader.waitForURL(postUrl);
  assert.equal(await reader.locator('[data-like-count]').textContent(), '0 likes');
});

test('without scripts the bell is a link to the notifications page, which marks all read', async () => {
  await publish(author, server.url, { title: 'For subscribers', body: 'Hello, Ben.' });
  await reader.goto(server.url);
  const bellLink = reader.locator('a[data-bell-link]');
  assert.equal(await bellLink.getAttribute('aria-label'), 'Notifications, 1 unread');
  await bellLink.click();
  await reader.waitForURL(`${server.url}/notifications`);
  const item = reader.locator('.notification-list li.is-unread a');
  assert.match((await item.textContent()) ?? '', /For subscribers/);
  await reader.getByRole('button', { name: 'Mark all read' }).click();
  await reader.waitForURL(`${server.url}/notifications`);
  assert.equal(await reader.locator('.notification-list li.is-unread').count(), 0);
  assert.equal(await bellLink.getAttribute('aria-label'), 'Notifications, 0 unread');
});

test('only authors may write, and the admin page makes a reader an author', async () => {
  const refused = await reader.goto(`${server.url}/compose`);
  assert.equal(refused?.status(), 403);

  await author.goto(`${server.url}/admin`);
  await author.getByLabel('Username').fill('nobody-here');
  await author.getByRole('button', { name: 'Make author' }).click();
  assert.match(
    (await author.locator('[data-error-for="username"]').textContent()) ?? '',
    /no user/,
  );
  assert.equal(await author.getByLabel('Username').inputValue(), 'nobody-here');

  await author.getByLabel('Username').fill('ben');
  await author.getByRole('button', { name: 'Make author' }).click();
  assert.match((await author.locator('.notice').textContent()) ?? '', /ben is now an author/);

  const admin = await reader.goto(`${server.url}/admin`);
  assert.equal(admin?.status(), 403);
  await reader.goto(server.url);
  await reader.getByRole('link', { name: 'Write' }).waitFor();
});

test('an author edits and deletes their post', async () => {
  await author.goto(`${postUrl}/edit`);
  await author.getByLabel('Title').fill('Plain forms, revised');
  await author.getByRole('button', { name: 'Save changes' }).click();
  await author.waitForURL(postUrl);
  assert.equal(await author.locator('h1').textContent(), 'Plain forms, revised');
  // Another author may not edit it.
  const notTheirs = await reader.goto(`${postUrl}/edit`);
  assert.equal(notTheirs?.status(), 403);

  await author.goto(postUrl);
  await author.getByRole('button', { name: 'Delete' }).click();
  await author.waitForURL(`${server.url}/`);
  const gone = await author.goto(postUrl);
  assert.equal(gone?.status(), 404);
});

test('signing out revokes the session: the old cookie no longer signs anyone in', async () => {
  const context = reader.context();
  const before = (await context.cookies(server.url)).find((c) => c.name === 'tidings_session');
  assert.ok(before);
  await reader.goto(server.url);
  await reader.getByRole('button', { name: 'Sign out' }).click();
  await reader.getByRole('link', { name: 'Sign in' }).waitFor();
  await context.addCookies([before]);
  await reader.goto(server.url);
  await reader.getByRole('link', { name: 'Sign in' }).waitFor();
  assert.equal(await reader.locator('.whoami').count(), 0);
});

test('a wrong password is refused inline, and signing in returns to the page asked for', async () => {
  await reader.goto(`${server.url}/signin?next=/notifications`);
  await reader.getByLabel('Username').fill('ben');
  await reader.getByLabel('Password').fill('not the password');
  await reader.getByRole('button', { name: 'Sign in' }).click();
  assert.match((await reader.locator('[data-error-for="form"]').textContent()) ?? '', /Wrong/);
  assert.equal(await reader.getByLabel('Username').inputValue(), 'ben');
  await reader.getByLabel('Password').fill(PASSWORD);
  await reader.getByRole('button', { name: 'Sign in' }).click();
  await reader.waitForURL(`${server.url}/notifications`);
});

test('the dark scheme renders (screenshot for a person to look at)', async () => {
  const dark = await pageWithoutScripts({ colorScheme: 'dark' });
  await dark.goto(server.url);
  const background = await dark.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  assert.notEqual(background, 'rgb(255, 255, 255)');
  await dark.screenshot({ path: await artifactPath('home-dark.png'), fullPage: true });
});

test('with registration closed, signing up is refused and nothing is created', async () => {
  const closed = await startServer({ args: ['--registration', 'closed'] });
  const page = await pageWithoutScripts();
  try {
    await page.goto(`${closed.url}/signup`);
    await page.getByLabel('Username').fill('carla');
    await page.getByLabel('Password').fill(PASSWORD);
    const response = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Sign up' }).click();
    assert.equal((await response).status(), 403);
    assert.match((await page.locator('[data-error-for="form"]').textContent()) ?? '', /closed/);
    assert.equal(await page.getByLabel('Username').inputValue(), 'carla');
    await page.goto(`${closed.url}/signin`);
    await page.getByLabel('Username').fill('carla');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match((await page.locator('[data-error-for="form"]').textContent()) ?? '', /Wrong/);
  } finally {
    await closed.stop();
    await closed.cleanup();
  }
});
