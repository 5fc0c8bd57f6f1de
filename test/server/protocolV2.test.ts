/**
 * What docs/PROTOCOL.md promises client authors, checked on the wire with a real client:
 * the `connect_error` payload, unknown handshake fields refused like any other bad payload, one
 * name for the unread count, `notification:list`'s end-of-list marker, and `since` omitted
 * rather than null.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION } from '../../contract/wire.js';
import { publish, signUp, subscribe, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import {
  connectError,
  connectSocket,
  createSocket,
  nextEvent,
  type TidingsSocket,
} from '../fixtures/sockets.js';

describe('protocol 2 on the wire', () => {
  let server: RunningServer;
  let ana: TestUser;
  let ben: TestUser;
  const sockets: TidingsSocket[] = [];

  before(async () => {
    server = await startServer();
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
    await subscribe(server.url, ben.token);
  });

  after(async () => {
    for (const socket of sockets) socket.close();
    await server.stop();
    await server.cleanup();
  });

  async function refusalFor(auth: unknown) {
    const socket = createSocket(server.url, auth);
    sockets.push(socket);
    const refused = connectError(socket);
    socket.connect();
    const error = await refused;
    return { message: error.message, data: error.data };
  }

  it('a refused handshake carries {message, data: {code, message}}', async () => {
    const refused = await refusalFor({ token: 'not-a-token' });
    assert.equal(refused.data?.code, 'unauthorized');
    assert.equal(refused.message, refused.data?.message);
  });

  it('unknown handshake fields, or a null since, are invalid_payload', async () => {
    const unknown = await refusalFor({ token: ben.token, sinse: 3 });
    assert.equal(unknown.data?.code, 'invalid_payload');
    assert.match(unknown.message, /sinse/);
    const nullSince = await refusalFor({ token: ben.token, since: null });
    assert.equal(nullSince.data?.code, 'invalid_payload');
  });

  it('sync, unread:count and acks all call the count unreadCount', async () => {
    await publish(server.url, ana.token, 'Counted');
    const { socket: phone, sync } = await connectSocket(server.url, ben.token);
    const { socket: laptop } = await connectSocket(server.url, ben.token);
    sockets.push(phone, laptop);
    assert.equal(sync.protocolVersion, PROTOCOL_VERSION);
    assert.equal(PROTOCOL_VERSION, 2);
    assert.ok(sync.unreadCount >= 1);
    const counted = nextEvent(laptop, 'unread:count');
    const ack = await phone.timeout(5000).emitWithAck('notification:mark-read', { all: true });
    // A mark-all also says how far it marked: a push at or below that seq that reaches the socket
    // later (another node's, say) is read too.
    assert.deepEqual(ack, {
      ok: true,
      unreadCount: 0,
      upToSeq: sync.upToSeq,
      readUpToSeq: sync.upToSeq,
    });
    assert.deepEqual(await counted, { unreadCount: 0, upToSeq: sync.upToSeq });
  });

  it('notification:list says whether older items exist', async () => {
    for (const title of ['One', 'Two', 'Three']) await publish(server.url, ana.token, title);
    const { socket } = await connectSocket(server.url, ben.token);
    sockets.push(socket);
    const first = await socket.timeout(5000).emitWithAck('notification:list', { limit: 2 });
    assert.ok(first.ok);
    assert.equal(first.items.length, 2);
    assert.equal(first.hasMore, true);
    const oldest = first.items.at(-1)?.seq;
    const rest = await socket
      .timeout(5000)
      .emitWithAck('notification:list', { before: oldest, limit: 10 });
    assert.ok(rest.ok);
    assert.equal(rest.hasMore, false);
    assert.ok(rest.items.length >= 1);
  });
});
