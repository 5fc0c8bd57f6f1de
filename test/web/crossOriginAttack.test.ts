/**
 * The review's attack, in a real browser (issue 10, finding 2): the blog at blog.example.test
 * allowlists www.example.test for API calls. A page on www.example.test, opened by Ben while he is
 * signed in to the blog (same site, so his SameSite=Lax cookie goes along), tries to read his CSRF
 * token from /notifications and then unsubscribe him. It used to work, because every allowlisted
 * origin got `Access-Control-Allow-Credentials: true`. Now the read fails and nothing changes,
 * while the same page may still call the API with a bearer token.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { API } from '../../contract/wire.js';
import { login, me, request, signUp as signUpByApi, subscribe } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { signUp } from './blogUi.js';
import { launchChromium } from './browser.js';

let attacker: Server;
let server: RunningServer;
let browser: Browser;
let page: Page;
let blogUrl = '';
let attackerUrl = '';

before(async () => {
  attacker = createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>A friend</title>');
  });
  attacker.listen(0, '127.0.0.1');
  await new Promise((resolve) => attacker.once('listening', resolve));
  attackerUrl = `http://www.example.test:${(attacker.address() as AddressInfo).port}`;
  server = await startServer({
    args: ['--allowed-origins', attackerUrl, '--allowed-hosts', 'blog.example.test'],
  });
  blogUrl = `http://blog.example.test:${server.port}`;
  await signUpByApi(server.url, 'ana');
  browser = await launchChromium(['--host-resolver-rules=MAP *.example.test 127.0.0.1']);
  page = await (await browser.newContext()).newPage();
  await signUp(page, blogUrl, 'ben');
  const { token } = await login(server.url, 'ben');
  await subscribe(server.url, token);
});

after(async () => {
  await browser?.close();
  attacker?.close();
  await server?.stop();
  await server?.cleanup();
});

test("an allowlisted site cannot read Ben's CSRF token or change his subscription", async () => {
  await page.goto(`${attackerUrl}/`);
  const outcome = await page.evaluate(async (blog) => {
    let csrf: string;
    try {
      const response = await fetch(`${blog}/notifications`, { credentials: 'include' });
      csrf = /name="_csrf" value="([^"]+)"/.exec(await response.text())?.[1] ?? '';
    } catch {
      return { read: false, posted: 0 };
    }
    const posted = await fetch(`${blog}/subscription`, {
      method: 'POST',
      credentials: 'include',
      body: new URLSearchParams({ _csrf: csrf, action: 'unsubscribe' }),
    });
    return { read: csrf !== '', posted: posted.status };
  }, blogUrl);
  assert.deepEqual(outcome, { read: false, posted: 0 }, 'the page could not be read');

  const { token } = await login(server.url, 'ben');
  assert.equal((await me(server.url, token)).subscribed, true, 'Ben is still subscribed');

  // The same site may still use the API the way it is meant to: with a bearer token.
  const viaApi = await page.evaluate(
    async ({ blog, path, token }) => {
      const response = await fetch(`${blog}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return response.status;
    },
    { blog: blogUrl, path: API.me, token },
  );
  assert.equal(viaApi, 200);
  assert.equal((await request(server.url, 'GET', API.health)).status, 200);
});
