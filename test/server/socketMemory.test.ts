/**
 * What a connected socket keeps (issue 14: memory per connection at 10,000 sockets). The upgrade
 * request a WebSocket client came in on is read at the handshake and then let go: engine.io's
 * upgrade response object would otherwise hold it, headers and all, as long as the connection;
 * and socket.handshake lets go of the headers, query and auth (the login token) it was read from.
 * Through a real socket.io server (Tidings' own createSocketServer) and a real WebSocket client;
 * whether the request is still reachable is asked of V8's garbage collector through a WeakRef.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { io as connectClient } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../contract/wire.js';
import { createSocketServer } from '../../server/realtime/socketServer.js';
import { createSyncHandoff } from '../../server/realtime/syncHandoff.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const everything = {
  isOriginAllowed: () => true,
  isOwnOrigin: () => true,
  isHostAllowed: () => true,
};

test('a WebSocket client’s upgrade request is let go once its socket is connected', async () => {
  const httpServer = createServer();
  const io = createSocketServer(httpServer, everything);
  after(() => io.close());
  let request: WeakRef<IncomingMessage> | undefined;
  io.engine.on('connection', (raw: { request: IncomingMessage }) => {
    request = new WeakRef(raw.request);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;

  const client = connectClient(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  after(() => client.close());
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  assert.ok(io.of('/').sockets.size === 1 && request, 'connected through the server');

  // Collection runs after the current turn's references are gone.
  for (let round = 0; round < 5 && request.deref() !== undefined; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
  assert.equal(request.deref(), undefined, 'the upgrade request is still held by the connection');
  assert.equal(client.connected, true);
});

test('a connected socket’s handshake lets go of the headers, query and auth it was read from', async () => {
  const httpServer = createServer();
  const io = createSocketServer(httpServer, everything);
  after(() => io.close());
  const held: { name: string; ref: WeakRef<object> }[] = [];
  const seen: { origin?: string; token?: unknown } = {};
  io.use((socket, next) => {
    // What Tidings' handshake middlewares read (socketSession.ts, socketHandlers.ts) is there.
    const { headers, query, auth } = socket.handshake;
    seen.origin = headers.origin;
    seen.token = (auth as { token?: unknown }).token;
    held.push(
      { name: 'headers', ref: new WeakRef(headers) },
      { name: 'query', ref: new WeakRef(query) },
      { name: 'auth', ref: new WeakRef(auth) },
    );
    next();
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;

  const client = connectClient(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    auth: { token: 'a-login-token' },
    extraHeaders: { origin: 'http://127.0.0.1' },
  });
  after(() => client.close());
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  assert.deepEqual(seen, { origin: 'http://127.0.0.1', token: 'a-login-token' });
  assert.equal(held.length, 3, 'connected through the middleware');

  for (let round = 0; round < 5 && held.some(({ ref }) => ref.deref()); round++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
  const kept = held.filter(({ ref }) => ref.deref() !== undefined).map(({ name }) => name);
  assert.deepEqual(kept, [], 'still held by the connection');
  const [socket] = io.of('/').sockets.values();
  assert.ok(socket, 'the socket is still connected');
  assert.equal(socket.handshake.address, '127.0.0.1');
  assert.equal(client.connected, true);
});

test('once a socket’s handoff has ended, the handoff keeps no listener on it', async () => {
  const httpServer = createServer();
  const io = createSocketServer(httpServer, everything);
  after(() => io.close());
  const handoff = createSyncHandoff(io, () => Promise.resolve());
  const listeners: { before?: number; during?: number } = {};
  io.on('connection', (socket) => {
    listeners.before = socket.listenerCount('disconnect');
    handoff.begin(socket);
    listeners.during = socket.listenerCount('disconnect');
    handoff.sendSync(socket, 0, () =>
      socket.emit('sync', {
        items: [],
        unreadCount: 0,
        upToSeq: 0,
        truncated: false,
        protocolVersion: PROTOCOL_VERSION,
      }),
    );
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;

  const client = connectClient(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  after(() => client.close());
  await new Promise<void>((resolve) => client.once('sync', () => resolve()));
  // The handoff ends one turn after the store has settled.
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
  const [socket] = io.of('/').sockets.values();
  assert.ok(socket, 'the socket is still connected');
  assert.equal(listeners.during, (listeners.before ?? 0) + 1, 'the handoff listens while it runs');
  assert.equal(socket.listenerCount('disconnect'), listeners.before);
  assert.equal(socket.rooms.has('handoff'), false);
});
