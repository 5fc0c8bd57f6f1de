/**
 * A starting server binds its port before it loads its modules and opens its store, and holds
 * what connects meanwhile instead of refusing it (server/heldPort.ts): after a restart a refused
 * socket.io client waits out its backoff, up to 5 s after the server is ready (issue 14, the
 * storm). Real processes, held at the start by the seam TIDINGS_TEST_HOLD_START (released with
 * SIGUSR2): a raw HTTP request and a socket.io client that connect while the server starts are
 * both served once it is ready; a start that then fails closes what it held and frees the port.
 * Under TIDINGS_TEST_STORE=postgres the same runs on PostgreSQL nodes, whose pool is warmed
 * before they are ready.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, it } from 'node:test';
import { API } from '../../contract/wire.js';
import { signUp } from '../fixtures/api.js';
import { exited, spawnCollecting, type CollectedChild } from '../fixtures/childProcess.js';
import { freePort } from '../fixtures/postgres.js';
import {
  SERVER_ENTRY,
  startServer,
  stopServers,
  TEST_STORE,
  type RunningServer,
} from '../fixtures/server.js';
import { createSocket, nextEvent, type TidingsSocket } from '../fixtures/sockets.js';

const SEAM_LINE = 'test seam: the start is held until SIGUSR2';
const servers: RunningServer[] = [];
const starting: CollectedChild[] = [];
const raw: Socket[] = [];
const sockets: TidingsSocket[] = [];

after(async () => {
  for (const socket of raw) socket.destroy();
  for (const socket of sockets) socket.close();
  for (const { child } of starting) {
    child.kill('SIGKILL');
    await exited(child);
  }
  await stopServers(servers);
});

/**
 * Starts a server held by the seam on `port`, on the store of `beside` (its data dir, or its
 * database under TIDINGS_TEST_STORE=postgres), and waits until it says it is held.
 */
async function startHeld(beside: RunningServer, port: number): Promise<CollectedChild> {
  const database = beside.databaseUrl === undefined ? [] : ['--database-url', beside.databaseUrl];
  const started = spawnCollecting(
    process.execPath,
    [
      SERVER_ENTRY,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data-dir',
      beside.dataDir,
    ].concat(database),
    { env: { ...process.env, TIDINGS_RATE_LIMITS: 'off', TIDINGS_TEST_HOLD_START: 'on' } },
  );
  starting.push(started);
  for (const begun = Date.now(); !started.output().includes(SEAM_LINE);) {
    if (Date.now() - begun > 15_000 || started.child.exitCode !== null) {
      throw new Error(`the server never reached the seam:\n${started.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return started;
}

/** A raw TCP connection to the port; rejects if it is refused. */
function connectRaw(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    raw.push(socket);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the peer sends until it closes the connection. */
function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    // A reset (the held request was never read) is a close too.
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(received));
  });
}

it('a raw HTTP request and a socket.io client that connect during the start are served once it is ready', async () => {
  const first = await startServer();
  servers.push(first);
  const ana = await signUp(first.url, 'ana');
  await first.stop();

  const held = await startHeld(first, first.port);
  const http = await connectRaw(first.port);
  const answer = readUntilClosed(http);
  http.write(`GET ${API.health} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  // No reconnection (test/fixtures/sockets.ts): refused, this client would never connect.
  const socket = createSocket(first.url, { token: ana.token });
  sockets.push(socket);
  const sync = nextEvent(socket, 'sync', 20_000);
  socket.connect();
  // Long enough for the socket.io client's WebSocket request to be written and held.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(!held.output().includes('listening on'), held.output());

  held.child.kill('SIGUSR2');
  const response = await answer;
  assert.match(response, /^HTTP\/1\.1 200 /);
  assert.match(response, /"service":"tidings"/);
  const caughtUp = await sync;
  assert.ok(Array.isArray(caughtUp.items), 'the sync lists the items');
  assert.match(held.output(), /listening on http:\/\/127\.0\.0\.1:\d+/);
});

it('a start that fails after the bind closes the held connection, frees the port and says why as before', async () => {
  const running = await startServer();
  servers.push(running);
  const port = await freePort();
  const second = await startHeld(running, port);
  const socket = await connectRaw(port);
  const answer = readUntilClosed(socket);
  socket.write(`GET ${API.health} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);

  second.child.kill('SIGUSR2');
  assert.equal(await exited(second.child), 1);
  assert.match(
    second.output().trim().split('\n').at(-1) ?? '',
    // The data dir's lock, or on PostgreSQL the database's (a node without --redis-url).
    TEST_STORE === 'postgres'
      ? /^tidings-server: another Tidings node already serves this database; /
      : /^tidings-server: another Tidings process \(pid \d+\) is using .* stop it first$/,
  );
  assert.equal(await answer, '', 'the held connection is closed without an answer');
  await assert.rejects(connectRaw(port), { code: 'ECONNREFUSED' });
});
