/**
 * docs/PROTOCOL.md promises long-polling as well as WebSocket. These stories connect by polling
 * only, by polling then upgrade (socket.io-client's defaults), and by raw Engine.IO requests a
 * careless or hostile client might send. Each ends with the same server process alive and
 * answering /healthz: polling once crashed the server without signing in (issue 10).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import {
  postOf,
  publish,
  request,
  setAuthor,
  signUp,
  subscribe,
  type TestUser,
} from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { nextEvent, waitUntil, type TidingsSocket } from '../fixtures/sockets.js';

const ENGINE_PATH = '/socket.io/?EIO=4&transport=polling';

describe('long-polling', () => {
  let server: RunningServer;
  let ana: TestUser; // admin and author
  let ben: TestUser; // subscribed reader
  const sockets: TidingsSocket[] = [];

  before(async () => {
    server = await startServer();
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
    await setAuthor(server.url, ana.token, 'ana');
    await subscribe(server.url, ben.token);
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    assert.equal(server.child.exitCode, null, `the server exited:\n${server.output()}`);
    const health = await request(server.url, 'GET', '/healthz');
    assert.equal(health.status, 200);
  });

  after(async () => {
    assert.equal(await server.stop(), 0);
    await server.cleanup();
  });

  /** Connects with these transports and waits for `sync`. */
  async function connect(transports: ('polling' | 'websocket')[]): Promise<TidingsSocket> {
    const socket: TidingsSocket = io(server.url, {
      auth: { token: ben.token },
      transports,
      reconnection: false,
      forceNew: true,
      autoConnect: false,
    });
    sockets.push(socket);
    const sync = nextEvent(socket, 'sync');
    socket.connect();
    await sync;
    return socket;
  }

  async function hearsOfNewPost(socket: TidingsSocket, title: string): Promise<void> {
    const arrived = nextEvent(socket, 'notification:new');
    await publish(server.url, ana.token, title);
    assert.equal(postOf(await arrived).title, title);
  }

  it('a client that only polls gets sync, new posts and acks', async () => {
    const socket = await connect(['polling']);
    assert.equal(socket.io.engine.transport.name, 'polling');
    await hearsOfNewPost(socket, 'Polled');
    const listed = await socket.timeout(5_000).emitWithAck('notification:list', { limit: 5 });
    assert.equal(listed.ok, true);
  });

  it('a client at its defaults polls, then upgrades to WebSocket', async () => {
    const socket = await connect(['polling', 'websocket']);
    await waitUntil(() => socket.io.engine.transport.name === 'websocket', 'the upgrade');
    await hearsOfNewPost(socket, 'Upgraded');
  });

  it('raw Engine.IO: handshake, a held poll, then the socket.io CONNECT', async () => {
    const handshake = await fetch(`${server.url}${ENGINE_PATH}`);
    assert.equal(handshake.status, 200);
    const open = await handshake.text();
    assert.match(open, /^0\{/);
    const { sid } = JSON.parse(open.slice(1)) as { sid: string };
    const pollUrl = `${server.url}${ENGINE_PATH}&sid=${sid}`;

    // The server holds this poll open until it has something to say.
    const held = fetch(pollUrl).then(async (response) => ({
      status: response.status,
      body: await response.text(),
    }));
    const connected = await fetch(pollUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: `40${JSON.stringify({ token: ben.token })}`,
    });
    assert.equal(connected.status, 200);
    assert.equal(await connected.text(), 'ok');
    const answer = await held;
    assert.equal(answer.status, 200);
    assert.match(answer.body, /^40\{"sid":/, 'the CONNECT is answered on the held poll');
  });

  it('raw Engine.IO: CONNECT without auth, concurrent polls, a bad sid and garbage bodies', async () => {
    const open = await (await fetch(`${server.url}${ENGINE_PATH}`)).text();
    const { sid } = JSON.parse(open.slice(1)) as { sid: string };
    const pollUrl = `${server.url}${ENGINE_PATH}&sid=${sid}`;

    const held = fetch(pollUrl).then((response) => response.text());
    const refused = await fetch(pollUrl, { method: 'POST', body: '40{}' });
    assert.equal(refused.status, 200);
    assert.match(await held, /^44\{"message":"Sign in first/);

    // Two polls at once on one session: the engine refuses the overlap and closes the session.
    const polls = await Promise.all([fetch(pollUrl), fetch(pollUrl)]);
    for (const poll of polls) await poll.text();
    assert.ok(polls.some((poll) => poll.status === 400));

    const unknown = await fetch(`${server.url}${ENGINE_PATH}&sid=not-a-session`);
    assert.equal(unknown.status, 400);
    await unknown.text();

    const fresh = await (await fetch(`${server.url}${ENGINE_PATH}`)).text();
    const freshUrl = `${server.url}${ENGINE_PATH}&sid=${(JSON.parse(fresh.slice(1)) as { sid: string }).sid}`;
    for (const body of ['', '\u0000\u00ff', '4', '42["x"', '9garbage', 'x'.repeat(2_000_000)]) {
      const response = await fetch(freshUrl, { method: 'POST', body });
      await response.text();
      assert.ok(
        response.status < 500,
        `POST ${JSON.stringify(body.slice(0, 10))} → ${response.status}`,
      );
    }
    const badTransport = await fetch(`${server.url}/socket.io/?EIO=4&transport=carrier-pigeon`);
    assert.equal(badTransport.status, 400);
    await badTransport.text();
    const oldProtocol = await fetch(`${server.url}/socket.io/?EIO=3&transport=polling`);
    assert.equal(oldProtocol.status, 400);
    await oldProtocol.text();
  });

  it('Engine.IO requests never reach the HTTP app: /metrics counts none of them as unmatched', async () => {
    await connect(['polling']);
    const metrics = await request<string>(server.url, 'GET', '/metrics');
    const unmatched = metrics.body
      .split('\n')
      .filter(
        (line) => line.startsWith('tidings_http_requests_total') && line.includes('unmatched'),
      );
    assert.deepEqual(unmatched, []);
  });
});
