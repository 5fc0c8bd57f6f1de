/**
 * Cross-site request forgery: every form POST needs the token bound to the visitor's session.
 * Without it, with a stale or foreign one, or from another site's page, the request is refused
 * with 403 and nothing changes. The session cookie itself is HttpOnly and SameSite=Lax.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { launchChromium } from './browser.js';
import { publish, signUp } from './blogUi.js';

let server: RunningServer;
let browser: Browser;
let authorContext: BrowserContext;
let readerContext: BrowserContext;
let author: Page;
let reader: Page;
let postUrl = '';
let postPath = '';

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  authorContext = await browser.newContext();
  readerContext = await browser.newContext();
  author = await authorContext.newPage();
  reader = await readerContext.newPage();
  await signUp(author, server.url, 'ana');
  postUrl = await publish(author, server.url, { title: 'Guarded', body: 'Like me, properly.' });
  postPath = new URL(postUrl).pathname;
  await signUp(reader, server.url, 'ben');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await server?.cleanup();
});

/** A same-origin form POST from the reader's page, so only the token can make a difference. */
function postFromPage(page: Page, path: string, fields: Record<string, string>) {
  return page.evaluate(
    async ({ path, fields }) => {
      const response = await fetch(path, {
        method: 'POST',
        body: new URLSearchParams(fields),
        headers: { Accept: 'application/json' },
      });
      return { status: response.status, body: await response.text() };
    },
    { path, fields },
  );
}

async function csrfTokenOn(page: Page): Promise<string> {
  return (await page.locator('input[name="_csrf"]').first().getAttribute('value')) ?? '';
}

async function likeCountOnPage(page: Page): Promise<string | null> {
  await page.goto(postUrl);
  return page.locator('[data-like-count]').textContent();
}

test('the session cookie is HttpOnly and SameSite=Lax', async () => {
  const cookies = await readerContext.cookies(server.url);
  const session = cookies.find((cookie) => cookie.name === 'tidings_session');
  assert.ok(session, `no session cookie among ${cookies.map((c) => c.name).join(', ')}`);
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
  const visibleToScript = await reader.evaluate<string>('document.cookie');
  assert.equal(visibleToScript.includes('tidings_session'), false);
});

test('a like without a CSRF token is refused with 403 and changes nothing', async () => {
  await reader.goto(postUrl);
  const missing = await postFromPage(reader, `${postPath}/like`, { action: 'like' });
  assert.equal(missing.status, 403);
  assert.match(missing.body, /forbidden/);
  const stale = await postFromPage(reader, `${postPath}/like`, {
    action: 'like',
    _csrf: 'stale-or-made-up-token-000000000000000000000',
  });
  assert.equal(stale.status, 403);
  // The author's token is valid, but for the author's session, not the reader's.
  await author.goto(postUrl);
  const foreign = await postFromPage(reader, `${postPath}/like`, {
    action: 'like',
    _csrf: await csrfTokenOn(author),
  });
  assert.equal(foreign.status, 403);
  assert.equal(await likeCountOnPage(reader), '0 likes');
});

test('subscribing and signing out without a token are refused too', async () => {
  await reader.goto(server.url);
  const subscribe = await postFromPage(reader, '/subscription', { action: 'subscribe' });
  assert.equal(subscribe.status, 403);
  const signOut = await postFromPage(reader, '/signout', {});
  assert.equal(signOut.status, 403);
  await reader.goto(server.url);
  assert.equal(await reader.locator('.whoami').textContent(), 'ben');
  await reader.getByRole('button', { name: 'Subscribe' }).waitFor();
});

test('a signed-out visitor cannot be signed in by another page (login CSRF)', async () => {
  const visitor = await browser.newContext();
  try {
    const response = await visitor.request.post(`${server.url}/signin`, {
      form: { username: 'ben', password: 'correct horse battery' },
      maxRedirects: 0,
    });
    assert.equal(response.status(), 403);
    const cookies = await visitor.cookies(server.url);
    assert.equal(
      cookies.find((cookie) => cookie.name === 'tidings_session'),
      undefined,
    );
  } finally {
    await visitor.close();
  }
});

test("another site's auto-submitting form cannot subscribe the reader", async () => {
  // The attacker's page: a different origin on this machine, posting a form to the blog.
  const attacker: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><form id="f" method="post" action="${server.url}/subscription">
      <input name="action" value="subscribe"><input name="next" value="/"></form>
      <script>document.getElementById('f').submit()</script>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = attacker.address() as AddressInfo;
    const refused = reader.waitForResponse(
      (response) => response.url() === `${server.url}/subscription`,
    );
    await reader.goto(`http://127.0.0.1:${port}/`);
    assert.equal((await refused).status(), 403);
  } finally {
    await new Promise<void>((resolve) => attacker.close(() => resolve()));
  }
  await reader.goto(server.url);
  await reader.getByRole('button', { name: 'Subscribe' }).waitFor();
});

test('the same actions with the page’s own token work (so the refusals above mean something)', async () => {
  await reader.goto(postUrl);
  const liked = await postFromPage(reader, `${postPath}/like`, {
    action: 'like',
    _csrf: await csrfTokenOn(reader),
  });
  assert.equal(liked.status, 200);
  assert.deepEqual(JSON.parse(liked.body), { liked: true, likeCount: 1 });
  assert.equal(await likeCountOnPage(reader), '1 like');
});
