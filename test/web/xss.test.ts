/**
 * An author tries script injection through a post's title and body. Everywhere the text appears
 * (post page, home page, the reader's bell, the edit form) it shows literally and nothing runs:
 * not even an attempt the CSP would have to block, because escaping stops it first.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { launchChromium } from './browser.js';
import { bellShows, liveBell, publish, signUp } from './blogUi.js';

const TITLE = `<img src=x onerror="globalThis.__xss='title'"><script>globalThis.__xss='t'</script>`;
const BODY = [
  `<script>globalThis.__xss='body-script'</script>`,
  '',
  `<img src=x onerror="globalThis.__xss='body-img'">`,
  '',
  `[click me](javascript:globalThis.__xss='link')`,
  '',
  `<a href="javascript:globalThis.__xss='raw-link'">raw link</a>`,
].join('\n');

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let author: Page;
let reader: Page;
let postUrl = '';

/** A page that records every dialog, and every CSP violation (i.e. any attempt to run). */
async function watchedPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  // A string, because this file is type-checked without the DOM's types.
  await context.addInitScript({
    content: `
      globalThis.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        globalThis.__cspViolations.push(event.violatedDirective));
    `,
  });
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  return page;
}

async function assertNothingRan(page: Page): Promise<void> {
  assert.equal(await page.evaluate(() => Reflect.get(globalThis, '__xss')), undefined);
  assert.deepEqual(await page.evaluate(() => Reflect.get(globalThis, '__cspViolations')), []);
}

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  author = await watchedPage();
  reader = await watchedPage();
  await signUp(author, server.url, 'ana');
  await signUp(reader, server.url, 'ben');
  await reader.getByRole('button', { name: 'Subscribe' }).click();
  await reader.getByRole('button', { name: 'Unsubscribe' }).waitFor();
  await liveBell(reader);
  postUrl = await publish(author, server.url, { title: TITLE, body: BODY });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await server?.cleanup();
});

test('the post page shows the title and body as text, and no script runs', async () => {
  await reader.goto(postUrl);
  assert.equal(await reader.locator('h1').textContent(), TITLE);
  assert.equal(await reader.title(), `${TITLE} · Tidings`);
  const body = reader.locator('.post-body');
  assert.equal(await body.locator('script, img, iframe').count(), 0);
  assert.equal(await body.locator('a[href^="javascript"]').count(), 0);
  const text = (await body.textContent()) ?? '';
  assert.ok(text.includes(`<script>globalThis.__xss='body-script'</script>`), text);
  assert.ok(text.includes(`<img src=x onerror="globalThis.__xss='body-img'">`), text);
  assert.ok(text.includes(`[click me](javascript:globalThis.__xss='link')`), text);
  await assertNothingRan(reader);
});

test('the home page lists it as text', async () => {
  await reader.goto(server.url);
  const card = reader.locator('.post-card').first();
  assert.equal(await card.locator('h2').textContent(), TITLE);
  assert.equal(await card.locator('script, img').count(), 0);
  assert.match((await card.locator('.excerpt').textContent()) ?? '', /<script>/);
  await assertNothingRan(reader);
});

test("the reader's bell lists the notification as text", async () => {
  await reader.goto(server.url);
  const bell = await liveBell(reader);
  await bellShows(reader, 1);
  await bell.button.click();
  const item = bell.menu.locator('.bell-list a').first();
  await item.waitFor();
  assert.ok(((await item.textContent()) ?? '').includes(TITLE));
  assert.equal(await bell.menu.locator('script, img').count(), 0);
  await assertNothingRan(reader);
});

test('the edit form gives the text back exactly as written', async () => {
  await author.goto(`${postUrl}/edit`);
  assert.equal(await author.getByLabel('Title').inputValue(), TITLE);
  assert.equal(await author.getByLabel('Body').inputValue(), BODY);
  await assertNothingRan(author);
});
