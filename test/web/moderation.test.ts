/**
 * Roles on the blog's pages: an admin deletes someone else's post from its page; an author who was
 * demoted keeps their posts but is offered no Edit, and the edit page refuses them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { API } from '../../contract/wire.js';
import {
  publish,
  request,
  setAuthor,
  signUp as signUpApi,
  type TestUser,
} from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { launchChromium } from './browser.js';
import { signIn, signUp } from './blogUi.js';

let server: RunningServer;
let browser: Browser;
let admin: Page;
let cleo: TestUser;

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  admin = await (await browser.newContext()).newPage();
  await signUp(admin, server.url, 'ana');
  const ana = await request<{ token: string }>(server.url, 'POST', API.login, {
    json: { username: 'ana', password: 'correct horse battery' },
  });
  cleo = await signUpApi(server.url, 'cleo');
  await setAuthor(server.url, ana.body.token, 'cleo');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await server?.cleanup();
});

test("an admin deletes another author's post from its page", async () => {
  const post = await publish(server.url, cleo.token, 'Off-topic post');
  await admin.goto(`${server.url}/posts/${post.id}`);
  assert.equal(await admin.getByRole('link', { name: 'Edit' }).count(), 0, 'not hers to edit');
  admin.once('dialog', (dialog) => void dialog.accept());
  await admin.getByRole('button', { name: 'Delete' }).click();
  await admin.waitForURL(`${server.url}/`);
  assert.equal((await request(server.url, 'GET', API.post(post.id))).status, 404);
});

test('a demoted author sees no Edit and the edit page refuses them', async () => {
  const post = await publish(server.url, cleo.token, 'Written as an author');
  const ana = await request<{ token: string }>(server.url, 'POST', API.login, {
    json: { username: 'ana', password: 'correct horse battery' },
  });
  await setAuthor(server.url, ana.body.token, 'cleo', false);
  const page = await (await browser.newContext()).newPage();
  await signIn(page, server.url, 'cleo');
  await page.goto(`${server.url}/posts/${post.id}`);
  assert.equal(await page.getByRole('link', { name: 'Edit' }).count(), 0);
  assert.equal(
    await page.getByRole('button', { name: 'Delete' }).count(),
    1,
    'still hers to delete',
  );
  const edit = await page.goto(`${server.url}/posts/${post.id}/edit`);
  assert.equal(edit?.status(), 403);
  assert.match((await page.locator('main').textContent()) ?? '', /Only authors can edit/);
});
