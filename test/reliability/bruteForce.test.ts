/**
 * Password guessing, with rate limits ON and the server behind one trusted proxy, so each request
 * can come from its own address (X-Forwarded-For). Guesses at one account lock that account, from
 * every address, even for the right password, through the API and the sign-in form alike; guesses
 * from one address across many accounts lock that address. Everyone else carries on.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, type HttpErrorBody } from '../../contract/wire.js';
import { register, request, TEST_PASSWORD } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { reportFigure } from './scale.js';

const PER_ACCOUNT = 5;
const PER_ADDRESS = 10;

const servers: RunningServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    await server.stop();
    await server.cleanup();
  }
});

async function guardedServer(): Promise<RunningServer> {
  const server = await startServer({
    args: ['--trust-proxy', 'on'],
    env: {
      TIDINGS_RATE_LIMITS: 'on',
      TIDINGS_RATE_LOGIN: String(PER_ACCOUNT),
      TIDINGS_RATE_LOGIN_IP: String(PER_ADDRESS),
      TIDINGS_RATE_REGISTER: '100',
    },
  });
  servers.push(server);
  return server;
}

function signIn(server: RunningServer, from: string, username: string, password: string) {
  return request<HttpErrorBody>(server.url, 'POST', API.login, {
    json: { username, password },
    headers: { 'x-forwarded-for': from },
  });
}

/** The blog's sign-in form, as a browser posts it (with the CSRF token of its own visit). */
async function signInByForm(
  server: RunningServer,
  from: string,
  username: string,
  password: string,
) {
  const page = await fetch(new URL('/signin', server.url), {
    headers: { 'x-forwarded-for': from },
  });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const result = await fetch(new URL('/signin', server.url), {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': from,
      cookie,
      origin: server.url,
    },
    body: new URLSearchParams({ username, password, _csrf: csrf, next: '/' }).toString(),
  });
  return { status: result.status, text: await result.text() };
}

test('guessing one account locks it from every address, even for the right password; others sign in', async () => {
  const server = await guardedServer();
  await register(server.url, 'ana');
  await register(server.url, 'ben');
  for (let guess = 1; guess <= PER_ACCOUNT; guess += 1) {
    const wrong = await signIn(server, '203.0.113.1', 'ana', `guess number ${guess}`);
    assert.equal(wrong.status, 401, `guess ${guess} is simply wrong`);
  }
  const locked = await signIn(server, '203.0.113.1', 'ana', 'guess number 6');
  assert.equal(locked.status, 429);
  assert.equal(locked.body.error.code, 'rate_limited');
  assert.match(locked.headers.get('retry-after') ?? '', /^\d+$/, 'it says when to retry');

  const elsewhere = await signIn(server, '198.51.100.7', 'ANA', TEST_PASSWORD);
  assert.equal(elsewhere.status, 429, 'another address and the right password: still locked');
  const form = await signInByForm(server, '198.51.100.8', 'ana', TEST_PASSWORD);
  assert.equal(form.status, 429, 'the sign-in form is locked too');
  assert.match(form.text, /Too many sign-in attempts/);

  const ben = await signIn(server, '203.0.113.1', 'ben', TEST_PASSWORD);
  assert.equal(ben.status, 200, 'ben, from the same address, is not affected');
  reportFigure('brute force: guesses before an account locks', PER_ACCOUNT);
});

test('guessing across accounts from one address locks that address only', async () => {
  const server = await guardedServer();
  await register(server.url, 'ben');
  for (let guess = 1; guess <= PER_ADDRESS; guess += 1) {
    const wrong = await signIn(server, '203.0.113.9', `user${guess}`, 'not the password');
    assert.equal(wrong.status, 401);
  }
  const locked = await signIn(server, '203.0.113.9', 'ben', TEST_PASSWORD);
  assert.equal(locked.status, 429, 'the address is locked, whatever account it tries');
  const form = await signInByForm(server, '203.0.113.9', 'ben', TEST_PASSWORD);
  assert.equal(form.status, 429, 'through the form as well');
  const fine = await signIn(server, '203.0.113.10', 'ben', TEST_PASSWORD);
  assert.equal(fine.status, 200, 'ben from his own address signs in');
  reportFigure('brute force: attempts before an address locks', PER_ADDRESS);
});
