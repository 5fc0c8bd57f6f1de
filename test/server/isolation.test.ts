/**
 * Stories of two readers sharing a server: each sees and changes only their own notifications,
 * over HTTP and over the socket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API } from '../../contract/wire.js';
import {
  errorOf,
  like,
  listNotifications,
  markRead,
  publish,
  request,
  setAuthor,
  signUp,
  unreadCount,
  type TestUser,
} from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { connectSocket, recordEvents, roundTrip } from '../fixtures/sockets.js';

describe('isolation between users', () => {
  let server: RunningServer;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let aliceItemId: string;

  before(async () => {
    server = await startServer();
    admin = await signUp(server.url, 'admin');
    alice = await signUp(server.url, 'alice');
    bob = await signUp(server.url, 'bob');
    await setAuthor(server.url, admin.token, 'alice');
    const post = await publish(server.url, alice.token, 'Alice writes');
    await like(server.url, admin.token, post.id); // alice now has one notification
    const { items } = await listNotifications(server.url, alice.token);
    assert.equal(items.length, 1);
    aliceItemId = items[0]?.id ?? '';
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it("over HTTP, bob lists only his own (empty) inbox and cannot mark alice's items", async () => {
    assert.deepEqual(await listNotifications(server.url, bob.token), {
      items: [],
      hasMore: false,
      unreadCount: 0,
    });
    assert.equal(await markRead(server.url, bob.token, { ids: [aliceItemId] }), 0);
    assert.equal(await markRead(server.url, bob.token, { all: true }), 0);
    assert.equal(await unreadCount(server.url, alice.token), 1, "alice's item is still unread");
    const anonymous = await request(server.url, 'GET', API.notifications);
    assert.equal(anonymous.status, 401);
    assert.equal(errorOf(anonymous).code, 'unauthorized');
  });

  it("over the socket, bob cannot list or mark alice's items, and alice hears nothing of it", async () => {
    const { socket: bobSocket, sync } = await connectSocket(server.url, bob.token);
    const { socket: aliceSocket } = await connectSocket(server.url, alice.token);
    const aliceEvents = recordEvents(aliceSocket);
    assert.deepEqual(sync.items, []);
    const listed = await bobSocket.timeout(5000).emitWithAck('notification:list', {});
    assert.deepEqual(listed, { ok: true, items: [], hasMore: false });
    const marked = await bobSocket
      .timeout(5000)
      .emitWithAck('notification:mark-read', { ids: [aliceItemId] });
    assert.ok(marked.ok);
    assert.equal(marked.unreadCount, 0);
    await roundTrip(aliceSocket);
    assert.deepEqual(aliceEvents, []);
    assert.equal(await unreadCount(server.url, alice.token), 1);
    bobSocket.close();
    aliceSocket.close();
  });
});
