/**
 * Stories of bad input: broken clients, hostile scripts and typos. Every one gets a clear error
 * (an HTTP 4xx with `{error: {code, message}}`, a refused handshake or an error ack), nothing
 * changes, and the server keeps serving everybody else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API, LIMITS, type HttpErrorBody } from '../../contract/wire.js';
import {
  errorOf,
  publish,
  request,
  signUp,
  subscribe,
  unreadCount,
  type ApiResult,
  type TestUser,
  postOf,
} from '../fixtures/api.js';
import type { Socket } from 'socket.io-client';
import { startServer, type RunningServer } from '../fixtures/server.js';
import {
  connectError,
  connectSocket,
  createSocket,
  nextDisconnect,
  nextEvent,
  roundTrip,
} from '../fixtures/sockets.js';

function assertRefused(result: ApiResult, status: number, code: string, what: string): void {
  assert.equal(result.status, status, `${what}: status`);
  const body = result.body as HttpErrorBody;
  assert.equal(body.error?.code, code, `${what}: code`);
  assert.ok(body.error.message.length > 0, `${what}: a message`);
  assert.ok(!/\n\s+at /.test(body.error.message), `${what}: no stack trace`);
}

describe('bad input', () => {
  let server: RunningServer;
  let author: TestUser;
  let reader: TestUser;
  let postId: string;

  before(async () => {
    server = await startServer();
    author = await signUp(server.url, 'ana');
    reader = await signUp(server.url, 'ben');
    await subscribe(server.url, reader.token);
    postId = (await publish(server.url, author.token, 'Hello')).id;
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it('malformed JSON, wrong types, unknown fields and missing bodies are 400 invalid_payload', async () => {
    const cases: [string, string, Parameters<typeof request>[3]][] = [
      ['malformed JSON', API.register, { raw: '{"username": "x", ' }],
      ['a JSON string', API.register, { raw: '"just text"' }],
      ['wrong types', API.register, { json: { username: 5, password: true } }],
      [
        'an unknown field',
        API.register,
        { json: { username: 'zed', password: 'long enough', admin: true } },
      ],
      ['a bad username', API.register, { json: { username: '<script>', password: 'long enough' } }],
      ['no body', API.login, {}],
      ['not JSON', API.login, { raw: 'username=ana', headers: { 'content-type': 'text/plain' } }],
      ['an empty title', API.posts, { token: author.token, json: { title: '   ', body: 'x' } }],
      [
        'a body over the limit',
        API.posts,
        { token: author.token, json: { title: 't', body: 'x'.repeat(LIMITS.bodyMax + 1) } },
      ],
      ['mark-read with no ids', API.markRead, { token: reader.token, json: { ids: [] } }],
      ['mark-read with all:false', API.markRead, { token: reader.token, json: { all: false } }],
      [
        'too many ids',
        API.markRead,
        {
          token: reader.token,
          json: { ids: Array.from({ length: LIMITS.markReadIdsMax + 1 }, (_, i) => `id${i}`) },
        },
      ],
    ];
    for (const [what, path, options] of cases) {
      assertRefused(await request(server.url, 'POST', path, options), 400, 'invalid_payload', what);
    }
    const typed = await request(server.url, 'POST', API.register, {
      json: { username: 5, password: true },
    });
    assert.match(errorOf(typed).message, /username/, 'the message names the field');
  });

  it('bad query strings are 400; unknown ids and routes are 404', async () => {
    for (const path of [
      `${API.notifications}?limit=abc`,
      `${API.notifications}?limit=${LIMITS.pageMax + 1}`,
      `${API.notifications}?before=0`,
      `${API.notifications}?color=red`,
    ]) {
      assertRefused(
        await request(server.url, 'GET', path, { token: reader.token }),
        400,
        'invalid_payload',
        path,
      );
    }
    assertRefused(
      await request(server.url, 'PATCH', API.post(postId), { token: author.token, json: {} }),
      400,
      'invalid_payload',
      'an empty edit',
    );
    assertRefused(
      await request(server.url, 'GET', `${API.posts}?page=0`),
      400,
      'invalid_payload',
      'page=0',
    );
    assertRefused(
      await request(server.url, 'GET', API.post('no-such-post')),
      404,
      'not_found',
      'unknown post',
    );
    assertRefused(
      await request(server.url, 'POST', API.like('no-such-post'), { token: reader.token }),
      404,
      'not_found',
      'like an unknown post',
    );
    assertRefused(
      await request(server.url, 'PATCH', API.post('no-such-post'), {
        token: author.token,
        json: { title: 'x' },
      }),
      404,
      'not_found',
      'edit an unknown post',
    );
    assertRefused(
      await request(server.url, 'GET', '/api/nothing-here'),
      404,
      'not_found',
      'unknown route',
    );
    // Marking unknown ids read is not an error: there is simply nothing to mark.
    const unknownIds = await request(server.url, 'POST', API.markRead, {
      token: reader.token,
      json: { ids: ['nope'] },
    });
    assert.deepEqual(unknownIds.body, { unreadCount: 1 });
  });

  it('bodies over the size limit are 413 payload_too_large', async () => {
    const huge = JSON.stringify({ title: 't', body: 'x'.repeat(LIMITS.httpBodyBytes) });
    assertRefused(
      await request(server.url, 'POST', API.posts, { token: author.token, raw: huge }),
      413,
      'payload_too_large',
      'oversized body',
    );
  });

  it('bad or missing tokens are 401 unauthorized', async () => {
    for (const authorization of [
      'Bearer not-a-token',
      'Basic YW5hOnB3',
      'Bearer',
      `Bearer ${'x'.repeat(300)}`,
    ]) {
      assertRefused(
        await request(server.url, 'GET', API.me, { headers: { authorization } }),
        401,
        'unauthorized',
        authorization.slice(0, 20),
      );
    }
    assertRefused(
      await request(server.url, 'POST', API.posts, { json: { title: 't', body: 'b' } }),
      401,
      'unauthorized',
      'anonymous publish',
    );
  });

  it('a socket with a missing, bad or malformed handshake is refused with a reason', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{}, 'unauthorized', /sign in/i],
      [{ token: 'not-a-token' }, 'unauthorized', /not valid/],
      [{ token: reader.token, since: -1 }, 'invalid_payload', /since/],
      [{ token: reader.token, since: 'yesterday' }, 'invalid_payload', /since/],
    ];
    for (const [auth, code, message] of cases) {
      const socket = createSocket(server.url, auth);
      const refused = connectError(socket);
      socket.connect();
      const error = await refused;
      socket.close();
      assert.equal(error.data?.code, code, JSON.stringify(auth));
      assert.match(error.message, message);
      assert.equal(error.data?.message, error.message);
    }
  });

  it('bad socket payloads get error acks; a missing ack is harmless; the socket stays usable', async () => {
    const { socket } = await connectSocket(server.url, reader.token);
    const badMarks: unknown[] = [
      { ids: 'x' },
      {},
      null,
      'all',
      { all: false },
      { ids: [''] },
      { ids: ['a'], all: true },
    ];
    for (const payload of badMarks) {
      const ack = await socket
        .timeout(5000)
        .emitWithAck('notification:mark-read', payload as never);
      assert.equal(ack.ok, false, JSON.stringify(payload));
      assert.ok(!ack.ok && ack.error.code === 'invalid_payload' && ack.error.message.length > 0);
    }
    for (const payload of [{ limit: 10_000 }, { before: 'x' }, { page: 2 }, 42]) {
      const ack = await socket.timeout(5000).emitWithAck('notification:list', payload as never);
      assert.ok(!ack.ok && ack.error.code === 'invalid_payload', JSON.stringify(payload));
    }
    // No ack callback at all, on both events, with good and bad payloads.
    // An untyped view of the socket: a broken client ignores the contract's types.
    const broken = socket as unknown as Socket;
    broken.emit('notification:mark-read', { nonsense: true });
    broken.emit('notification:list');
    broken.emit('no-such-event', 1);
    await roundTrip(socket);
    assert.equal(socket.connected, true);
    assert.equal(await unreadCount(server.url, reader.token), 1, 'nothing changed');
    socket.close();
  });

  it('a socket message over the size limit closes that connection only; the server keeps serving', async () => {
    const { socket: big } = await connectSocket(server.url, reader.token);
    const { socket: bystander } = await connectSocket(server.url, reader.token);
    const dropped = nextDisconnect(big);
    big.emit(
      'notification:mark-read',
      { ids: ['x'.repeat(LIMITS.socketMessageBytes)] },
      () => undefined,
    );
    assert.equal(await dropped, 'transport close');

    const arrived = nextEvent(bystander, 'notification:new');
    await publish(server.url, author.token, 'Still here');
    assert.equal(postOf(await arrived).title, 'Still here');
    bystander.close();
    const health = await request(server.url, 'GET', API.health);
    assert.equal(health.status, 200);
  });
});
