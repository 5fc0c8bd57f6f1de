/**
 * Stories of abuse: a script hammering sign-in, sign-up, publishing or a socket gets
 * `429 rate_limited` (or an error ack) with a time to retry, while other people carry on.
 * The fixture turns limits off; these servers turn them on with small, tuned numbers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API } from '../../contract/wire.js';
import {
  errorOf,
  login,
  publish,
  request,
  signUp,
  TEST_PASSWORD,
  type ApiResult,
} from '../fixtures/api.js';
import { startServer } from '../fixtures/server.js';
import { connectSocket } from '../fixtures/sockets.js';

function assertRateLimited(result: ApiResult, what: string): void {
  assert.equal(result.status, 429, what);
  assert.equal(errorOf(result).code, 'rate_limited', what);
  assert.match(errorOf(result).message, /try again in \d+ s/);
  assert.ok(Number(result.headers.get('retry-after')) >= 1, 'Retry-After says when');
}

describe('rate limits, when on', () => {
  it('limit sign-ups per address, sign-ins per account, publishing per user and socket events', async () => {
    const server = await startServer({
      env: {
        TIDINGS_RATE_LIMITS: 'on',
        TIDINGS_RATE_REGISTER: '3',
        TIDINGS_RATE_LOGIN: '3',
        TIDINGS_RATE_LOGIN_IP: '100',
        TIDINGS_RATE_PUBLISH: '2',
        TIDINGS_RATE_SOCKET: '3',
      },
    });
    try {
      const ana = await signUp(server.url, 'ana'); // ana's first sign-in
      await signUp(server.url, 'ben');
      await signUp(server.url, 'cleo');
      assertRateLimited(
        await request(server.url, 'POST', API.register, {
          json: { username: 'dan', password: TEST_PASSWORD },
        }),
        'the 4th sign-up from one address',
      );

      await login(server.url, 'ana');
      await login(server.url, 'ana');
      assertRateLimited(
        await request(server.url, 'POST', API.login, {
          json: { username: 'ana', password: TEST_PASSWORD },
        }),
        "ana's 4th sign-in",
      );
      assertRateLimited(
        await request(server.url, 'POST', API.login, {
          json: { username: 'ANA', password: 'guessing' },
        }),
        'the account is limited whatever the case of its name',
      );
      assert.ok((await login(server.url, 'ben')).token, 'ben still signs in');

      await publish(server.url, ana.token, 'One');
      await publish(server.url, ana.token, 'Two');
      assertRateLimited(
        await request(server.url, 'POST', API.posts, {
          token: ana.token,
          json: { title: 'Three', body: 'Too fast' },
        }),
        'the 3rd post in a minute',
      );

      const { socket } = await connectSocket(server.url, ana.token);
      for (let i = 0; i < 3; i++) {
        const ack = await socket.timeout(5000).emitWithAck('notification:list', {});
        assert.equal(ack.ok, true);
      }
      const limited = await socket.timeout(5000).emitWithAck('notification:list', {});
      assert.ok(!limited.ok && limited.error.code === 'rate_limited');
      assert.equal(socket.connected, true, 'a limited socket stays connected');
      socket.close();
    } finally {
      await server.stop();
      await server.cleanup();
    }
  });

  it('limit sign-in attempts per address, across accounts', async () => {
    const server = await startServer({
      env: { TIDINGS_RATE_LIMITS: 'on', TIDINGS_RATE_LOGIN_IP: '3' },
    });
    try {
      for (const username of ['u1', 'u2', 'u3']) {
        const wrong = await request(server.url, 'POST', API.login, {
          json: { username, password: TEST_PASSWORD },
        });
        assert.equal(wrong.status, 401);
      }
      assertRateLimited(
        await request(server.url, 'POST', API.login, {
          json: { username: 'u4', password: TEST_PASSWORD },
        }),
        'the 4th attempt from one address',
      );
    } finally {
      await server.stop();
      await server.cleanup();
    }
  });
});
