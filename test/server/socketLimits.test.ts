/**
 * Socket limits a script cannot shake off by reconnecting (issue 10: one token opened 100 sockets,
 * and every new socket brought a fresh request budget): a cap on the sockets one user holds,
 * request limits kept per user, and a limit on handshakes per address.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { signUp } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import {
  connectError,
  connectSocket,
  createSocket,
  waitUntil,
  type TidingsSocket,
} from '../fixtures/sockets.js';

describe('socket limits', () => {
  const servers: RunningServer[] = [];
  const sockets: TidingsSocket[] = [];
  const start = async (env: Record<string, string>) => {
    const server = await startServer({ env });
    servers.push(server);
    return server;
  };

  after(async () => {
    for (const socket of sockets) socket.close();
    for (const server of servers) {
      assert.equal(server.child.exitCode, null, 'the server is still up');
      await server.stop();
      await server.cleanup();
    }
  });

  it('one user holds at most --max-sockets-per-user sockets; the next is refused with a reason', async () => {
    const server = await start({ TIDINGS_MAX_SOCKETS_PER_USER: '3' });
    const ana = await signUp(server.url, 'ana');
    const ben = await signUp(server.url, 'ben');
    const held = await Promise.all([1, 2, 3].map(() => connectSocket(server.url, ana.token)));
    sockets.push(...held.map(({ socket }) => socket));

    const extra = createSocket(server.url, { token: ana.token });
    sockets.push(extra);
    const refused = connectError(extra);
    extra.connect();
    const error = await refused;
    assert.equal(error.data?.code, 'rate_limited');
    assert.match(error.message, /already has 3 connections open/);

    const other = await connectSocket(server.url, ben.token);
    sockets.push(other.socket);

    // Closing one frees its place.
    held[0]?.socket.close();
    let again: TidingsSocket | undefined;
    await waitUntil(async () => {
      try {
        again = (await connectSocket(server.url, ana.token)).socket;
        return true;
      } catch {
        return false;
      }
    }, 'a place is free again');
    if (again) sockets.push(again);
  });

  it('a burst of parallel handshakes cannot slip past the cap', async () => {
    const server = await start({ TIDINGS_MAX_SOCKETS_PER_USER: '2' });
    const ana = await signUp(server.url, 'ana');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => connectSocket(server.url, ana.token)),
    );
    const connected = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    for (const outcome of connected) sockets.push(outcome.value.socket);
    assert.equal(connected.length, 2);
  });

  it("request limits follow the user across reconnects, not the socket's id", async () => {
    const server = await start({ TIDINGS_RATE_LIMITS: 'on', TIDINGS_RATE_SOCKET: '3' });
    const ana = await signUp(server.url, 'ana');
    const first = await connectSocket(server.url, ana.token);
    for (let i = 0; i < 3; i++) {
      const ack = await first.socket.timeout(5000).emitWithAck('notification:list', {});
      assert.equal(ack.ok, true);
    }
    first.socket.close();
    const second = await connectSocket(server.url, ana.token);
    sockets.push(second.socket);
    const ack = await second.socket.timeout(5000).emitWithAck('notification:list', {});
    assert.equal(ack.ok, false);
    assert.equal(ack.ok ? undefined : ack.error.code, 'rate_limited');
  });

  it('handshakes are limited per address', async () => {
    const server = await start({ TIDINGS_RATE_LIMITS: 'on', TIDINGS_RATE_HANDSHAKE: '3' });
    const ana = await signUp(server.url, 'ana');
    for (let i = 0; i < 3; i++) (await connectSocket(server.url, ana.token)).socket.close();
    const socket = createSocket(server.url, { token: ana.token });
    sockets.push(socket);
    const refused = connectError(socket);
    socket.connect();
    const error = await refused;
    assert.equal(error.data?.code, 'rate_limited');
    assert.match(error.message, /connections from this address/);
  });
});
