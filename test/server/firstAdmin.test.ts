/**
 * Stories of a fresh server's first account. Whoever finds a new server first must not become its
 * admin: the first account comes from the operator, with `users add` before the first start or by
 * signing up with the one-time setup code the server prints in its log.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { API } from '../../contract/wire.js';
import { errorOf, login, request, signUp, TEST_PASSWORD } from '../fixtures/api.js';
import type { Browser } from 'playwright';
import { launchChromium } from '../fixtures/chromium.js';
import { runCli, startServer, stopServers, type RunningServer } from '../fixtures/server.js';

const SETUP_LINE = /sign up at (\S+)\/signup with the setup code (\S+) to become/;

/** The server's own code, read from its log as an operator would. */
async function setupCodeFromLog(server: RunningServer): Promise<string> {
  return (await server.waitForOutput(SETUP_LINE))[2] ?? '';
}

describe('the first account on a fresh server', () => {
  const servers: RunningServer[] = [];
  after(() => stopServers(servers));
  const fresh = async (env: Record<string, string> = { TIDINGS_SETUP_CODE: '' }) => {
    const server = await startServer({ env });
    servers.push(server);
    return server;
  };

  it('a stranger who signs up first gets nothing; the code from the log makes the admin', async () => {
    const server = await fresh();
    const code = await setupCodeFromLog(server);

    const stranger = await request(server.url, 'POST', API.register, {
      json: { username: 'mallory', password: TEST_PASSWORD },
    });
    assert.equal(stranger.status, 403);
    assert.equal(errorOf(stranger).code, 'forbidden');
    assert.match(errorOf(stranger).message, /setup code/);
    const guess = await request(server.url, 'POST', API.register, {
      json: { username: 'mallory', password: TEST_PASSWORD, setupCode: 'aaaaa-bbbbb-ccccc-ddddd' },
    });
    assert.equal(guess.status, 403);
    assert.match(errorOf(guess).message, /not right/);
    assert.equal(
      (
        await request(server.url, 'POST', API.login, {
          json: { username: 'mallory', password: TEST_PASSWORD },
        })
      ).status,
      401,
      'no account was made',
    );

    // Typed with spaces and in capitals, as people copy codes.
    const typed = code.toUpperCase().replace(/-/g, ' ');
    const owner = await request<{ user: { isAdmin: boolean; isAuthor: boolean } }>(
      server.url,
      'POST',
      API.register,
      { json: { username: 'owner', password: TEST_PASSWORD, setupCode: typed } },
    );
    assert.equal(owner.status, 201, JSON.stringify(owner.body));
    assert.deepEqual(
      { isAdmin: owner.body.user.isAdmin, isAuthor: owner.body.user.isAuthor },
      { isAdmin: true, isAuthor: true },
    );

    // Used up: the next sign-up is a plain reader, code or not.
    const again = await request<{ user: { isAdmin: boolean } }>(server.url, 'POST', API.register, {
      json: { username: 'second', password: TEST_PASSWORD, setupCode: code },
    });
    assert.equal(again.status, 201);
    assert.equal(again.body.user.isAdmin, false);
  });

  it('a restarted server with accounts prints no code', async () => {
    const first = await fresh({});
    await signUp(first.url, 'owner');
    assert.equal(await first.stop(), 0);
    const restarted = await startServer({
      dataDir: first.dataDir,
      env: { TIDINGS_SETUP_CODE: '' },
    });
    servers.push(restarted);
    assert.doesNotMatch(restarted.output(), /setup code/);
  });

  it('`users add` before the first start still makes the admin, and then no code is printed', async () => {
    const server = await fresh();
    await server.stop();
    const added = await runCli(
      ['users', 'add', 'owner', '--admin', '--author', '--data-dir', server.dataDir],
      {
        TIDINGS_PASSWORD: TEST_PASSWORD,
      },
    );
    assert.equal(added.stdout.trim(), 'added owner (admin, author)', added.stderr);
    const restarted = await startServer({
      dataDir: server.dataDir,
      env: { TIDINGS_SETUP_CODE: '' },
    });
    servers.push(restarted);
    assert.equal((await login(restarted.url, 'owner')).user.isAdmin, true);
    assert.doesNotMatch(restarted.output(), /setup code/);
  });

  it('the sign-up page asks for the code while there is no account, and says when it is wrong', async () => {
    const server = await fresh();
    const code = await setupCodeFromLog(server);
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage();
      await page.goto(`${server.url}/signup`);
      assert.equal(await page.locator('h1').textContent(), 'Create the admin account');
      await page.getByLabel('Setup code').fill('not-the-code');
      await page.getByLabel('Username').fill('owner');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign up' }).click();
      assert.match(
        (await page.locator('[data-error-for="setupCode"]').textContent()) ?? '',
        /not right/,
      );
      await page.getByLabel('Setup code').fill(code);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.waitForURL(`${server.url}/`);
      assert.equal(await page.locator('.whoami').textContent(), 'owner');
      await page.goto(`${server.url}/admin`);
      assert.equal(await page.locator('h1').textContent(), 'Admin');

      // With an admin, the page is the ordinary sign-up form.
      const other = await browser.newPage();
      await other.goto(`${server.url}/signup`);
      assert.equal(await other.getByLabel('Setup code').count(), 0);
    } finally {
      await browser?.close();
    }
  });
});
