/**
 * What a connected socket keeps (issue 14: memory per connection at 10,000 sockets). The upgrade
 * request a WebSocket client came in on is read at the handshake and then let go: engine.io's
 * upgrade response object would otherwise hold it, headers and all, as long as the connection;
 * and socket.handshake lets go of the headers, query and auth (the login token) it was read from;
 * engine.io's upgrade response and the listeners only the upgrade needed go too. Through a real
 * socket.io server (Tidings' own createSocketServer) and a real WebSocket client; whether each is
 * still reachable is asked of V8's garbage collector through a WeakRef. Tidings' own listeners
 * (through a real server, in this process) are one function shared by every socket.
 */
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import {
  createServer,
  ServerResponse,
  type IncomingMessage,
  type Server as HttpServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  io as connectClient,
  type ManagerOptions,
  type Socket as ClientSocket,
  type SocketOptions,
} from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../contract/wire.js';
import { parseCommandLine } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import {
  createSocketServer,
  type TidingsSocket as ServerSocket,
} from '../../server/realtime/socketServer.js';
import { createSyncHandoff } from '../../server/realtime/syncHandoff.js';
import { serve } from '../../server/serve.js';
import { rememberSetupCode, signUp } from '../fixtures/api.js';
import { connectSocket } from '../fixtures/sockets.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** What an Engine.IO connection over WebSocket holds, as far as these tests look. */
interface EngineConnection {
  request: IncomingMessage;
  transport: EventEmitter & { socket: EventEmitter };
}

/** The first sign-up becomes admin with it, as the server fixture does. */
const SETUP_CODE = 'socket-memory-test-setup-code';

const everything = {
  isOriginAllowed: () => true,
  isOwnOrigin: () => true,
  isHostAllowed: () => true,
};

/** Tidings' socket server on a fresh HTTP server, closed when the test ends. */
function socketServerForTest(): {
  httpServer: HttpServer;
  io: ReturnType<typeof createSocketServer>;
} {
  const httpServer = createServer();
  const io = createSocketServer(httpServer, everything);
  after(() => io.close());
  return { httpServer, io };
}

/** Listens on a free loopback port; resolves with a WebSocket client once it is connected. */
async function connectForTest(
  httpServer: HttpServer,
  options: Partial<ManagerOptions & SocketOptions> = {},
): Promise<ClientSocket> {
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const client = connectClient(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    ...options,
  });
  after(() => client.close());
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  return client;
}

/** The names of what is still reachable after a few collections (each after a turn). */
async function stillHeld(held: { name: string; ref: WeakRef<object> }[]): Promise<string[]> {
  // Collection runs after the current turn's references are gone.
  for (let round = 0; round < 5 && held.some(({ ref }) => ref.deref()); round++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
  return held.filter(({ ref }) => ref.deref() !== undefined).map(({ name }) => name);
}

test('a WebSocket client’s upgrade request is let go once its socket is connected', async () => {
  const { httpServer, io } = socketServerForTest();
  let request: WeakRef<IncomingMessage> | undefined;
  io.engine.on('connection', (raw: EngineConnection) => {
    request = new WeakRef(raw.request);
  });
  const client = await connectForTest(httpServer);
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
  const { httpServer, io } = socketServerForTest();
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
  const client = await connectForTest(httpServer, {
    auth: { token: 'a-login-token' },
    extraHeaders: { origin: 'http://127.0.0.1' },
  });
  assert.deepEqual(seen, { origin: 'http://127.0.0.1', token: 'a-login-token' });
  assert.equal(held.length, 3, 'connected through the middleware');

  assert.deepEqual(await stillHeld(held), [], 'still held by the connection');
  const [socket] = io.of('/').sockets.values();
  assert.ok(socket, 'the socket is still connected');
  assert.equal(socket.handshake.address, '127.0.0.1');
  assert.deepEqual([socket.handshake.url, socket.handshake.time], ['', ''], 'URL and time let go');
  assert.equal(client.connected, true);
});

test('engine.io’s upgrade response and the listeners only the upgrade needed are let go', async () => {
  const { httpServer, io } = socketServerForTest();
  const held: { name: string; ref: WeakRef<object> }[] = [];
  // Runs after the server's own engine middleware, with the same response object.
  io.engine.use((_request: IncomingMessage, response: object, next: () => void) => {
    if (!(response instanceof ServerResponse))
      held.push({ name: 'response', ref: new WeakRef(response) });
    next();
  });
  io.engine.on('connection', (raw: EngineConnection) => {
    const [headers] = raw.transport.listeners('headers');
    const upgradeError = raw.transport.socket
      .listeners('error')
      .find(({ name }) => name === 'onUpgradeError');
    if (headers) held.push({ name: 'headers listener', ref: new WeakRef(headers) });
    if (upgradeError) held.push({ name: 'onUpgradeError', ref: new WeakRef(upgradeError) });
  });
  const client = await connectForTest(httpServer);
  assert.deepEqual(
    held.map(({ name }) => name),
    ['response', 'headers listener', 'onUpgradeError'],
    'engine.io made them (engine.io 6.6)',
  );

  assert.deepEqual(await stillHeld(held), [], 'still held by the connection');
  // The connection still works both ways after it.
  const [socket] = io.of('/').sockets.values();
  const answered = new Promise((resolve) => client.once('unread:count', resolve));
  socket?.on('notification:mark-read', () =>
    socket.emit('unread:count', { unreadCount: 7, upToSeq: 1 }),
  );
  client.emit('notification:mark-read', { all: true }, () => undefined);
  assert.deepEqual(await answered, { unreadCount: 7, upToSeq: 1 });
});

test('once a socket’s handoff has ended, the handoff keeps no listener on it', async () => {
  const { httpServer, io } = socketServerForTest();
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
  // Listening for `sync` from the start: it may come in the same read as the connect.
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

test('Tidings keeps no listener of its own per socket (every socket shares them) and no token room', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tidings-socket-memory-'));
  after(() => rm(dataDir, { recursive: true, force: true }));
  const command = parseCommandLine(['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir], {
    TIDINGS_RATE_LIMITS: 'off',
    TIDINGS_SETUP_CODE: SETUP_CODE,
  });
  if (command.kind !== 'serve') throw new Error('expected a serve command');
  const sockets: ServerSocket[] = [];
  const server = await serve(
    command.config,
    createLogger(() => undefined),
    { connected: (socket) => sockets.push(socket) },
  );
  after(() => server.close());
  rememberSetupCode(server.url, SETUP_CODE);
  const clients: { close(): unknown }[] = [];
  for (const name of ['ana', 'ben']) {
    const user = await signUp(server.url, name);
    const { socket } = await connectSocket(server.url, user.token);
    clients.push(socket);
  }
  after(() => clients.forEach((client) => client.close()));
  const [ana, ben] = sockets;
  assert.ok(ana && ben && ana !== ben, 'two sockets connected');

  /** The listeners both emitters hold: the same function, not one made for each socket. */
  const shared = (a: EventEmitter, b: EventEmitter, event: string): number =>
    a.rawListeners(event).filter((listener) => b.rawListeners(event).includes(listener)).length;
  for (const event of ['notification:mark-read', 'notification:list', 'disconnect']) {
    assert.equal(shared(ana, ben, event), 1, `one shared ${event} listener`);
  }
  // The socket cap's release when the Engine.IO connection closes (socketAdmission.ts).
  assert.equal(shared(ana.conn, ben.conn, 'close'), 1, 'the cap’s close listener is shared');
  // On the TCP connection: the shutdown's tracking (server/serve.ts) and ws's own; engine.io's
  // upgrade response no longer listens there (socketServer.ts).
  const tcp = (socket: ServerSocket): EventEmitter =>
    (socket.conn.transport as unknown as { socket: { _socket: EventEmitter } }).socket._socket;
  const onTcpClose = tcp(ana).rawListeners('close').length;
  assert.equal(shared(tcp(ana), tcp(ben), 'close'), onTcpClose, 'every TCP close listener shared');
  // One node finds a revoked token's sockets by their data: no room per token (socketPush.ts).
  assert.deepEqual(
    [...ana.rooms].filter((room) => room.startsWith('token:')),
    [],
    'no token room on one node',
  );
  assert.deepEqual(
    tcp(ana)
      .rawListeners('close')
      .filter((listener) => 'listener' in listener),
    [],
    'no once-wrapper on the TCP connection',
  );
});
