/**
 * Stored XSS, the parts the browser tests do not reach. The blog pages and the bell
 * (test/web/xss.test.ts) and the inbox window (test/renderer/inboxWindow.test.ts) show a hostile
 * title as text in real Chromium. Here: the desktop notification the tray core raises carries it as
 * plain text, exactly as written (the OS shows text; nothing escapes or strips it), and usernames,
 * which appear in every like notification, cannot carry markup at all.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, titleOf, type HttpErrorBody } from '../../contract/wire.js';
import { like, publish, request } from '../fixtures/api.js';
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
