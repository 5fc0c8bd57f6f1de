/**
 * Stored XSS, the parts the browser tests do not reach. The blog pages and the bell
 * (test/web/xss.test.ts) and the inbox window (test/renderer/inboxWindow.test.ts) show a hostile
 * title as text in real Chromium. Here: the desktop notification the tray core raises carries it as
 * plain text, exactly as written (the OS shows text; nothing escapes or strips it), and usernames,
 * which appear in every like notification, cannot carry markup at all. Titles and usernames cannot
 * carry line breaks, control characters or bidi overrides either: those make a notification read
 * as something else than was written.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, titleOf, type HttpErrorBody, type PostListResponse } from '../../contract/wire.js';
import { like, publish, request, signUp, TEST_PASSWORD } from '../fixtures/api.js';
import { launchChromium } from '../fixtures/chromium.js';
import { signUp as signUpOnPage } from '../web/blogUi.js';
import { startServer } from '../fixtures/server.js';
import { signedInCore, startBlog, waitFor } from '../core/coreHarness.js';

const HOSTILE = `<img src=x onerror="alert(1)"><script>alert(2)</script> & "quotes" 'too'`;

const cleanups: (() => Promise<unknown>)[] = [];
const defer = (cleanup: () => Promise<unknown>): void => void cleanups.push(cleanup);
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

test('a hostile title reaches the desktop notification as the plain text it is', async () => {
  const { server, ana, ben } = await startBlog(defer);
  const app = await signedInCore(defer, server.url, ben);

  const post = await publish(server.url, ana.token, HOSTILE);
  const raised = await waitFor(() => app.notifications[0], 'the notification');
  assert.ok(raised.notification.body.includes(HOSTILE), `body: ${raised.notification.body}`);
  assert.ok(!raised.notification.body.includes('&lt;'), 'not HTML-escaped either: it is text');
  const item = app.core.snapshot().inbox.items[0];
  assert.equal(item && titleOf(item), HOSTILE);

  // ana hears of ben's like: the actor's name is in the message, and it is only ever plain.
  await like(server.url, ben.token, post.id);
  const anaItems = await request<{ items: { message: string; actor: { name: string } }[] }>(
    server.url,
    'GET',
    API.notifications,
    { token: ana.token },
  );
  assert.equal(anaItems.body.items[0]?.actor.name, 'ben');
});

test('a username with markup is refused at sign-up', async () => {
  const server = await startServer();
  cleanups.push(async () => {
    await server.stop();
    await server.cleanup();
  });
  for (const username of ['<script>', 'ben"><img', "o'neil", 'a&b', 'x y']) {
    const refused = await request<HttpErrorBody>(server.url, 'POST', API.register, {
      json: { username, password: 'long enough password' },
    });
    assert.equal(refused.status, 400, username);
    assert.equal(refused.body.error.code, 'invalid_payload');
  }
});

test('a title or username that could pose as other text is refused with 422, and nothing is stored', async () => {
  const server = await startServer();
  cleanups.push(async () => {
    await server.stop();
    await server.cleanup();
  });
  const ana = await signUp(server.url, 'ana');
  const spoofs = [
    'Invoice paid\nYour account is locked: sign in at evil.example',
    'Harmless title\u202Eexe.fdp',
    'Isolated \u2066text\u2069',
    'Tab\there',
    'Bell\u0007',
    '\u202Aembedded\u202C',
  ];
  for (const title of spoofs) {
    const refused = await request<HttpErrorBody>(server.url, 'POST', API.posts, {
      token: ana.token,
      json: { title, body: 'body' },
    });
    assert.equal(refused.status, 422, JSON.stringify(title));
    assert.equal(refused.body.error.code, 'invalid_text');
    assert.match(
      refused.body.error.message,
      /title: line breaks, control characters and text-direction overrides are not allowed/,
    );
  }
  const post = await publish(server.url, ana.token, 'A plain title');
  const patched = await request<HttpErrorBody>(server.url, 'PATCH', API.post(post.id), {
    token: ana.token,
    json: { title: 'Edited\u202Egnp.exe' },
  });
  assert.equal(patched.status, 422);
  const list = await request<PostListResponse>(server.url, 'GET', API.posts);
  assert.deepEqual(
    list.body.items.map((item) => item.title),
    ['A plain title'],
  );
  for (const username of ['ben\u202E', 'ben\nadmin', '\u2067ben']) {
    const refused = await request<HttpErrorBody>(server.url, 'POST', API.register, {
      json: { username, password: 'long enough password' },
    });
    assert.equal(refused.status, 422, JSON.stringify(username));
    assert.equal(refused.body.error.code, 'invalid_text');
  }
  const device = await request<HttpErrorBody>(server.url, 'POST', API.login, {
    json: { username: 'ana', password: TEST_PASSWORD, device: 'My laptop\u202E' },
  });
  assert.equal(device.status, 422, 'device names show on the account page');
});

test('the compose form shows why a spoofing title was refused, with the text kept', async () => {
  const server = await startServer();
  cleanups.push(async () => {
    await server.stop();
    await server.cleanup();
  });
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage();
  await signUpOnPage(page, server.url, 'ana');
  await page.goto(`${server.url}/compose`);
  await page.getByLabel('Title').fill('Urgent\u202Etxt.exe');
  await page.getByLabel('Body').fill('Body text');
  const answer = page.waitForResponse((response) => response.url().endsWith('/compose'));
  await page.getByRole('button', { name: 'Publish' }).click();
  assert.equal((await answer).status(), 422);
  assert.match(
    (await page.locator('[data-error-for="title"]').textContent()) ?? '',
    /Line breaks, control characters and text-direction overrides are not allowed/,
  );
  assert.equal(await page.getByLabel('Body').inputValue(), 'Body text');
});
