/**
 * Stories of sessions that end: a device token unused for longer than the idle limit is refused on
 * HTTP and at the socket handshake; a token's last use is recorded at most every few minutes, so
 * a request is not a write; a user sees their devices and signs one or all out; an admin signs a
 * user out everywhere from the API or the admin page while the server runs, and the user's live
 * sockets close at once.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { API, type RevokeTokensResponse } from '../../contract/wire.js';
import { DATA_FILE_NAME, JOURNAL_FILE_NAME } from '../../server/store/lowdb/index.js';
import { errorOf, login, request, signUp, TEST_PASSWORD, type TestUser } from '../fixtures/api.js';
import { launchChromium } from '../fixtures/chromium.js';
import { startServer, stopServers, type RunningServer } from '../fixtures/server.js';
import { connectError, connectSocket, createSocket, nextDisconnect } from '../fixtures/sockets.js';
import { signIn } from '../web/blogUi.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface StoredToken {
  device: string;
  createdAt: string;
  lastUsedAt?: string;
}

/** Rewrites the tokens of a stopped server's data file, as time passing would have left them. */
async function ageTokens(dataDir: string, change: (token: StoredToken) => void): Promise<void> {
  const file = join(dataDir, DATA_FILE_NAME);
  const data = JSON.parse(await readFile(file, 'utf8')) as { tokens: StoredToken[] };
  data.tokens.forEach(change);
  await writeFile(file, JSON.stringify(data));
}

async function storedTokens(dataDir: string): Promise<StoredToken[]> {
  const data = JSON.parse(await readFile(join(dataDir, DATA_FILE_NAME), 'utf8')) as {
    tokens: StoredToken[];
  };
  return data.tokens;
}

const daysAgo = (days: number): string => new Date(Date.now() - days * DAY_MS).toISOString();

describe('idle expiry and last use', () => {
  const servers: RunningServer[] = [];
  after(() => stopServers(servers));

  it('a token unused for longer than --token-idle-days is refused on HTTP and by the socket', async () => {
    const args = ['--token-idle-days', '30'];
    const first = await startServer({ args });
    servers.push(first);
    await signUp(first.url, 'ana');
    const stale = await login(first.url, 'ana', TEST_PASSWORD, 'old laptop');
    const recent = await login(first.url, 'ana', TEST_PASSWORD, 'phone');
    assert.equal(await first.stop(), 0);
    await ageTokens(first.dataDir, (token) => {
      if (token.device === 'old laptop') token.createdAt = daysAgo(31);
      if (token.device === 'phone') {
        token.createdAt = daysAgo(200);
        token.lastUsedAt = daysAgo(29);
      }
    });

    const server = await startServer({ dataDir: first.dataDir, args });
    servers.push(server);
    const refused = await request(server.url, 'GET', API.me, { token: stale.token });
    assert.equal(refused.status, 401);
    assert.equal(errorOf(refused).code, 'unauthorized');
    const socket = createSocket(server.url, { token: stale.token });
    const error = connectError(socket);
    socket.connect();
    assert.equal((await error).data?.code, 'unauthorized');
    socket.close();
    assert.equal(
      (await request(server.url, 'GET', API.me, { token: recent.token })).status,
      200,
      'used 29 days ago: still signed in',
    );
    const { socket: live } = await connectSocket(server.url, recent.token);
    live.close();

    assert.equal(await server.stop(), 0);
    const devices = (await storedTokens(first.dataDir)).map((token) => token.device);
    assert.ok(!devices.includes('old laptop'), 'the expired token is gone from the data');
    assert.ok(devices.includes('phone'));
  });

  it('last use is recorded at most once per few minutes, not on every request', async () => {
    const first = await startServer();
    servers.push(first);
    const ana = await signUp(first.url, 'ana');
    for (let i = 0; i < 20; i++) await request(first.url, 'GET', API.me, { token: ana.token });
    const journal = await readFile(join(first.dataDir, JOURNAL_FILE_NAME), 'utf8');
    assert.doesNotMatch(journal, /lastUsedAt/, 'twenty requests, no write');
    assert.equal(await first.stop(), 0);
    await ageTokens(first.dataDir, (token) => {
      token.createdAt = daysAgo(1);
    });

    const server = await startServer({ dataDir: first.dataDir });
    servers.push(server);
    const before = Date.now();
    for (let i = 0; i < 20; i++) await request(server.url, 'GET', API.me, { token: ana.token });
    const writes = (await readFile(join(server.dataDir, JOURNAL_FILE_NAME), 'utf8'))
      .split('\n')
      .filter((line) => line.includes('lastUsedAt'));
    assert.equal(writes.length, 1, 'twenty requests, one write');
    assert.equal(await server.stop(), 0);
    const [token] = await storedTokens(first.dataDir);
    assert.ok(
      token?.lastUsedAt && Date.parse(token.lastUsedAt) >= before - 1_000,
      token?.lastUsedAt,
    );
  });
});

describe('signing devices out while the server runs', () => {
  let server: RunningServer;
  let browser: Browser;
  let ana: TestUser; // admin
  let ben: TestUser;

  before(async () => {
    server = await startServer();
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await server?.cleanup();
  });

  it('an admin signs a user out everywhere through the API; the live sockets close at once', async () => {
    const laptop = await login(server.url, 'ben', TEST_PASSWORD, 'laptop');
    const { socket } = await connectSocket(server.url, laptop.token);
    const dropped = nextDisconnect(socket);

    const notAdmin = await request(server.url, 'DELETE', API.userTokens('ana'), {
      token: ben.token,
    });
    assert.equal(notAdmin.status, 403);
    assert.equal(errorOf(notAdmin).code, 'forbidden');
    const unknown = await request(server.url, 'DELETE', API.userTokens('nobody'), {
      token: ana.token,
    });
    assert.equal(unknown.status, 404);

    const revoked = await request<RevokeTokensResponse>(
      server.url,
      'DELETE',
      API.userTokens('ben'),
      { token: ana.token },
    );
    assert.equal(revoked.status, 200);
    assert.deepEqual(revoked.body, { revoked: 2 });
    assert.equal(await dropped, 'io server disconnect');
    socket.close();
    for (const token of [laptop.token, ben.token]) {
      assert.equal((await request(server.url, 'GET', API.me, { token })).status, 401);
    }
    assert.equal((await request(server.url, 'GET', API.me, { token: ana.token })).status, 200);
    ben = { ...ben, token: (await login(server.url, 'ben')).token };
  });

  it('the account page lists the devices and signs one out, then all of them', async () => {
    const page: Page = await (await browser.newContext()).newPage();
    await signIn(page, server.url, 'ben');
    const laptop = await login(server.url, 'ben', TEST_PASSWORD, "Ben's laptop");
    const { socket } = await connectSocket(server.url, laptop.token);

    await page.getByRole('link', { name: 'ben' }).click();
    await page.waitForURL(`${server.url}/account`);
    const rows = page.locator('table.devices tbody tr');
    assert.deepEqual(
      (await rows.locator('th').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim()),
      ['test device', 'web this device', "Ben's laptop"],
    );
    assert.equal(await rows.nth(2).locator('time').count(), 2, 'signed in and last used');

    const dropped = nextDisconnect(socket);
    await rows.nth(2).getByRole('button', { name: 'Sign out this device' }).click();
    await page.waitForURL(`${server.url}/account`);
    assert.equal(await dropped, 'io server disconnect', 'its socket closed at once');
    socket.close();
    assert.equal((await request(server.url, 'GET', API.me, { token: laptop.token })).status, 401);
    assert.equal(await rows.count(), 2);
    assert.equal((await request(server.url, 'GET', API.me, { token: ben.token })).status, 200);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(`${server.url}/`);
    assert.equal(await page.getByRole('link', { name: 'Sign in' }).count(), 1, 'signed out here');
    assert.equal((await request(server.url, 'GET', API.me, { token: ben.token })).status, 401);
    ben = { ...ben, token: (await login(server.url, 'ben')).token };
  });

  it("nobody signs out another user's device, even knowing its id", async () => {
    const anaDevice = await login(server.url, 'ana', TEST_PASSWORD, 'desk');
    const anaPage = await (await browser.newContext()).newPage();
    await signIn(anaPage, server.url, 'ana');
    await anaPage.goto(`${server.url}/account`);
    const deskRow = anaPage.locator('table.devices tbody tr', { hasText: 'desk' });
    const action = await deskRow.locator('form').getAttribute('action');
    assert.match(action ?? '', /^\/account\/devices\/[^/]+\/signout$/);

    const benPage = await (await browser.newContext()).newPage();
    await signIn(benPage, server.url, 'ben');
    await benPage.goto(`${server.url}/account`);
    const csrf = await benPage.locator('input[name="_csrf"]').first().inputValue();
    const answer = await benPage.request.post(`${server.url}${action ?? ''}`, {
      form: { _csrf: csrf },
      maxRedirects: 0,
    });
    assert.equal(answer.status(), 404);
    assert.equal(
      (await request(server.url, 'GET', API.me, { token: anaDevice.token })).status,
      200,
      "ana's desk is still signed in",
    );
  });

  it('an admin signs a user out everywhere from the admin page', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, server.url, 'ana');
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('User to sign out').fill('ben');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    assert.match(
      (await page.locator('.notice').textContent()) ?? '',
      /ben is signed out everywhere \(2 devices\)/,
    );
    assert.equal((await request(server.url, 'GET', API.me, { token: ben.token })).status, 401);
  });
});
