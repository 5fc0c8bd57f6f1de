/**
 * The bell's socket authenticates with the page's session cookie. That must work only for the
 * blog's own pages: another site's page (cross-site WebSocket hijacking, where the browser
 * attaches the cookie for it) and cookie-carrying clients that send no Origin are refused.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright';
import { io } from 'socket.io-client';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { launchChromium } from './browser.js';
import { signUp } from './blogUi.js';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let reader: Page;

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  context = await browser.newContext();
  reader = await context.newPage();
  await signUp(reader, server.url, 'ben');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await server?.cleanup();
});

/**
 * Opens a raw engine.io WebSocket from the page, asks to join the default namespace and reports
 * the first socket.io packet back ("40…" connected, "44…" refused) or how the socket ended.
 */
function rawHandshakeFrom(page: Page, wsUrl: string): Promise<string> {
  // A string, because this file is type-checked without the DOM's types.
  return page.evaluate<string>(`new Promise((resolve) => {
    const socket = new WebSocket(${JSON.stringify(wsUrl)});
    setTimeout(() => resolve('timeout'), 5000);
    socket.onmessage = (event) => {
      const packet = String(event.data);
      if (packet.startsWith('0')) socket.send('40');
      else if (packet.startsWith('4')) { resolve(packet); socket.close(); }
    };
    socket.onerror = () => resolve('error');
    socket.onclose = (event) => resolve('closed ' + event.code);
  })`);
}

const socketUrl = (): string =>
  `${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;

test("the blog's own page opens the socket with its session cookie", async () => {
  await reader.goto(server.url);
  const packet = await rawHandshakeFrom(reader, socketUrl());
  assert.match(packet, /^40\{"sid"/);
});

test("another site's page is refused although the browser sends the cookie", async () => {
  const attacker: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = attacker.address() as AddressInfo;
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const outcome = await rawHandshakeFrom(page, socketUrl());
    assert.doesNotMatch(outcome, /^40/);
    await page.close();
  } finally {
    await new Promise<void>((resolve) => attacker.close(() => resolve()));
  }
});

test('a client that sends the cookie but no Origin is not signed in by it', async () => {
  const cookie = (await context.cookies(server.url))
    .map((entry) => `${entry.name}=${entry.value}`)
    .join('; ');
  const socket = io(server.url, {
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnection: false,
  });
  try {
    const error = await new Promise<Error>((resolve, reject) => {
      socket.once('connect_error', resolve);
      socket.once('connect', () => reject(new Error('connected with a cookie and no Origin')));
    });
    assert.match(error.message, /sign in|token/i);
  } finally {
    socket.close();
  }
});
