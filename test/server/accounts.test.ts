/**
 * Stories of accounts: the first person on a fresh server runs it; others sign up (unless the
 * operator closed registration), sign in per device, and sign out; only authors publish.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API } from '../../contract/wire.js';
import {
  errorOf,
  login,
  logout,
  me,
  publish,
  request,
  setAuthor,
  signUp,
  TEST_PASSWORD,
  type TestUser,
} from '../fixtures/api.js';
import { startServer, storedText, type RunningServer } from '../fixtures/server.js';
import { connectError, connectSocket, createSocket, nextDisconnect } from '../fixtures/sockets.js';

describe('accounts and roles', () => {
  let server: RunningServer;
  let ana: TestUser;
  let ben: TestUser;

  before(async () => {
    server = await startServer();
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it('the first account is admin and author; the next is a plain reader', async () => {
    assert.deepEqual(
      { admin: ana.user.isAdmin, author: ana.user.isAuthor },
      { admin: true, author: true },
    );
    const profile = await me(server.url, ben.token);
    assert.deepEqual(
      { name: profile.username, admin: profile.isAdmin, author: profile.isAuthor },
      { name: 'ben', admin: false, author: false },
    );
  });

  it('a taken username (in any case) is a conflict; a wrong password is refused', async () => {
    const taken = await request(server.url, 'POST', API.register, {
      json: { username: 'ANA', password: TEST_PASSWORD },
    });
    assert.equal(taken.status, 409);
    assert.equal(errorOf(taken).code, 'conflict');
    for (const json of [
      { username: 'ana', password: 'not her password' },
      { username: 'nobody', password: TEST_PASSWORD },
    ]) {
      const refused = await request(server.url, 'POST', API.login, { json });
      assert.equal(refused.status, 401);
      assert.deepEqual(errorOf(refused), {
        code: 'unauthorized',
        message: 'Wrong username or password.',
      });
    }
  });

  it('the server keeps only hashes: no password or token appears in what it stores', async () => {
    // What is stored while it runs: lowdb's snapshot plus its journal, or PostgreSQL's rows.
    const text = await storedText(server);
    assert.ok(!text.includes(TEST_PASSWORD));
    assert.ok(!text.includes(ana.token) && !text.includes(ben.token));
    assert.match(text, /scrypt\$/);
  });

  it('only authors publish; an admin makes a reader an author; readers cannot grant roles', async () => {
    const denied = await request(server.url, 'POST', API.posts, {
      token: ben.token,
      json: { title: 'Mine', body: 'Text' },
    });
    assert.equal(denied.status, 403);
    assert.equal(errorOf(denied).code, 'forbidden');

    const selfPromotion = await request(server.url, 'PUT', API.userRoles('ben'), {
      token: ben.token,
      json: { author: true },
    });
    assert.equal(selfPromotion.status, 403);

    const unknown = await request(server.url, 'PUT', API.userRoles('nobody'), {
      token: ana.token,
      json: { author: true },
    });
    assert.equal(unknown.status, 404);

    assert.equal((await setAuthor(server.url, ana.token, 'ben')).isAuthor, true);
    const post = await publish(server.url, ben.token, 'Now I can');
    assert.equal(post.author.name, 'ben');
  });

  it('authors edit and delete only their own posts', async () => {
    const post = await publish(server.url, ana.token, 'Draft');
    const edited = await request(server.url, 'PATCH', API.post(post.id), {
      token: ana.token,
      json: { title: 'Final' },
    });
    assert.equal(edited.status, 200);
    assert.equal((edited.body as { title: string }).title, 'Final');

    for (const method of ['PATCH', 'DELETE']) {
      const other = await request(server.url, method, API.post(post.id), {
        token: ben.token,
        json: { title: 'Hijacked' },
      });
      assert.equal(other.status, 403, `${method} by another author`);
    }
    assert.equal(
      (await request(server.url, 'DELETE', API.post(post.id), { token: ana.token })).status,
      204,
    );
    assert.equal((await request(server.url, 'GET', API.post(post.id))).status, 404);
  });

  it('a demoted author keeps their posts but can no longer edit them; an admin deletes any post', async () => {
    const cleo = await signUp(server.url, 'cleo');
    await setAuthor(server.url, ana.token, 'cleo');
    const first = await publish(server.url, cleo.token, 'Written while an author');
    const second = await publish(server.url, cleo.token, 'Another one');
    await setAuthor(server.url, ana.token, 'cleo', false);

    const edit = await request(server.url, 'PATCH', API.post(first.id), {
      token: cleo.token,
      json: { title: 'Changed after demotion' },
    });
    assert.equal(edit.status, 403);
    assert.equal(errorOf(edit).code, 'forbidden');
    assert.match(errorOf(edit).message, /Only authors can edit/);
    const unchanged = await request<{ title: string }>(server.url, 'GET', API.post(first.id));
    assert.equal(unchanged.body.title, 'Written while an author');

    // Taking one's own post down needs no role; an admin takes down anyone's.
    assert.equal(
      (await request(server.url, 'DELETE', API.post(first.id), { token: cleo.token })).status,
      204,
    );
    assert.equal(
      (await request(server.url, 'DELETE', API.post(second.id), { token: ana.token })).status,
      204,
      "the admin deletes cleo's post",
    );
    assert.equal((await request(server.url, 'GET', API.post(second.id))).status, 404);
  });

  it('each device gets its own token; signing out refuses that token and drops its socket only', async () => {
    const laptop = await login(server.url, 'ben', TEST_PASSWORD, 'laptop');
    const phone = await login(server.url, 'ben', TEST_PASSWORD, 'phone');
    assert.notEqual(laptop.token, phone.token);
    const { socket: laptopSocket } = await connectSocket(server.url, laptop.token);
    const { socket: phoneSocket } = await connectSocket(server.url, phone.token);

    const dropped = nextDisconnect(laptopSocket);
    await logout(server.url, laptop.token);
    assert.equal(await dropped, 'io server disconnect');
    assert.equal(phoneSocket.connected, true, 'the other device stays signed in');
    phoneSocket.close();

    const refused = await request(server.url, 'GET', API.me, { token: laptop.token });
    assert.equal(refused.status, 401);
    assert.equal(errorOf(refused).code, 'unauthorized');
    const again = createSocket(server.url, { token: laptop.token });
    const error = connectError(again);
    again.connect();
    assert.equal((await error).data?.code, 'unauthorized');
    again.close();
    assert.equal((await me(server.url, phone.token)).username, 'ben');
  });
});

describe('closed registration', () => {
  it('an operator who starts the server with --registration closed gets no sign-ups', async () => {
    const server = await startServer({ args: ['--registration', 'closed'] });
    try {
      const refused = await request(server.url, 'POST', API.register, {
        json: { username: 'eve', password: TEST_PASSWORD },
      });
      assert.equal(refused.status, 403);
      assert.equal(errorOf(refused).code, 'registration_closed');
      assert.match(errorOf(refused).message, /closed/);
    } finally {
      await server.stop();
      await server.cleanup();
    }
  });
});
