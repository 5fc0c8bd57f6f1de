/**
 * Stopping the server while clients misbehave (issue 10: one idle or frozen client made SIGTERM
 * take 10 s and exit 1 without flushing the store). Through a real process: SIGTERM with an idle
 * socket, a frozen WebSocket client that stops reading, a held poll and a half-sent request; the
 * process says so in its log, exits 0 within its own bound, and an acknowledged post is kept.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, it } from 'node:test';
import { API } from '../../contract/wire.js';
import { publish, request, signUp } from '../fixtures/api.js';
import { startServer, stopServers, type RunningServer } from '../fixtures/server.js';
import { connectSocket, type TidingsSocket } from '../fixtures/sockets.js';

const sockets: TidingsSocket[] = [];
const raw: Socket[] = [];
const servers: RunningServer[] = [];

after(async () => {
  for (const socket of sockets) socket.close();
  for (const socket of raw) socket.destroy();
  await stopServers(servers, { kill9: true });
});

/** A TCP connection that sends `text` and then never reads again. */
async function frozen(port: number, text: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  raw.push(socket);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(text);
  socket.pause();
  return socket;
}

it('SIGTERM with stuck clients flushes the store and exits 0', async () => {
  const server = await startServer();
  servers.push(server);
  const ana = await signUp(server.url, 'ana');

  sockets.push((await connectSocket(server.url, ana.token)).socket); // idle
  // 16 bytes: ws answers any other key with 400, and the client would never be upgraded.
  const key = Buffer.from('frozen-ws-key-16').toString('base64');
  await frozen(
    server.port,
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\n` +
      'Sec-WebSocket-Version: 13\r\n\r\n',
  );
  const open = await (await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`)).text();
  const { sid } = JSON.parse(open.slice(1)) as { sid: string };
  const heldPoll = fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)
    .then((response) => response.text())
    .catch(() => 'cut');
  await frozen(server.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`);

  const post = await publish(server.url, ana.token, 'Acknowledged before SIGTERM');
  const code = await server.stop();
  await heldPoll;

  assert.equal(code, 0, server.output());
  assert.match(server.output(), /SIGTERM: finishing pending writes/);
  assert.match(server.output(), /stopped; every acknowledged change is on disk/);
  assert.doesNotMatch(server.output(), /did not finish in time/);

  const again = await startServer({ dataDir: server.dataDir });
  servers.push(again);
  const kept = await request(again.url, 'GET', API.post(post.id));
  assert.equal(kept.status, 200, 'the acknowledged post survived');
});

/**
 * A WebSocket client that reads what it is sent but never answers the close frame, as one on a
 * slow link answers late. Resolves once the server has cut its connection.
 */
async function silentWebSocket(port: number): Promise<{ cut: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  raw.push(socket);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const key = Buffer.from('silent-ws-key-16').toString('base64');
  socket.write(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\n` +
      'Sec-WebSocket-Version: 13\r\n\r\n',
  );
  // The upgrade is done once the server's first frame (Engine.IO's open packet) arrives.
  let received = '';
  await new Promise<void>((resolve) =>
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (/\r\n\r\n[\s\S]+/.test(received)) resolve();
    }),
  );
  return { cut: new Promise((resolve) => socket.once('close', () => resolve())) };
}

it('SIGTERM cuts WebSockets without waiting for their close replies (issue 14)', async () => {
  const server = await startServer();
  servers.push(server);
  const webSocket = await silentWebSocket(server.port);
  // A request still arriving: the stop gives it its grace, so the server is still answering.
  const inFlight = await frozen(
    server.port,
    `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`,
  );
  inFlight.resume();
  let answer = '';
  inFlight.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  const answered = new Promise<void>((resolve) => inFlight.once('end', () => resolve()));

  const exited = server.stop();
  // Before the change the WebSocket stayed open, waiting for a reply, until the grace ran out and
  // every connection was cut together with the request in flight.
  await webSocket.cut;
  inFlight.write('\r\n');
  await answered;
  assert.match(answer, /^HTTP\/1\.1 200/, 'the request in flight was still answered');
  assert.equal(await exited, 0, server.output());
});
