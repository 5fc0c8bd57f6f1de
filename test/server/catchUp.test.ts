/**
 * Stories of a reader who was away: the laptop slept while posts went out. On reconnect with the
 * last seq it saw, `sync` brings exactly what was missed and the true unread count, bounded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIMITS, PROTOCOL_VERSION, type Ack, type NotificationItem } from '../../contract/wire.js';
import { publish, signUp, subscribe, type TestUser, postOf } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { connectSocket, nextDisconnect } from '../fixtures/sockets.js';

describe('catching up after being offline', () => {
  let server: RunningServer;
  let author: TestUser;
  let reader: TestUser;

  before(async () => {
    server = await startServer();
    author = await signUp(server.url, 'ana');
    reader = await signUp(server.url, 'ben');
    await subscribe(server.url, reader.token);
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it('a reconnect with `since` gets exactly the 3 posts published while away', async () => {
    await publish(server.url, author.token, 'Before');
    const { socket, sync } = await connectSocket(server.url, reader.token);
    const lastSeen = Math.max(...sync.items.map((item) => item.seq));
    assert.equal(sync.unreadCount, 1);
    const gone = nextDisconnect(socket);
    socket.close();
    await gone;

    const missed = [];
    for (const title of ['One', 'Two', 'Three'])
      missed.push(await publish(server.url, author.token, title));

    const back = await connectSocket(server.url, reader.token, lastSeen);
    back.socket.close();
    assert.deepEqual(
      back.sync.items.map((item) => postOf(item).id),
      missed.map((post) => post.id),
      'exactly the missed posts, oldest first',
    );
    assert.ok(back.sync.items.every((item) => item.seq > lastSeen && !item.read));
    assert.equal(back.sync.unreadCount, 4);
    assert.equal(back.sync.truncated, false);
    assert.equal(back.sync.protocolVersion, PROTOCOL_VERSION);
  });

  it('past the bound, sync holds the newest items and says it was truncated; the rest pages back', async () => {
    const { sync: before } = await connectSocket(server.url, reader.token).then((c) => {
      c.socket.close();
      return c;
    });
    const since = Math.max(...before.items.map((item) => item.seq));
    const count = LIMITS.syncMax + 5;
    for (let i = 1; i <= count; i++) await publish(server.url, author.token, `Burst ${i}`);

    const { socket, sync } = await connectSocket(server.url, reader.token, since);
    assert.equal(sync.truncated, true);
    assert.equal(sync.items.length, LIMITS.syncMax);
    assert.equal(postOf(sync.items.at(-1)).title, `Burst ${count}`, 'the newest is there');
    assert.equal(postOf(sync.items[0]).title, `Burst ${count - LIMITS.syncMax + 1}`);
    assert.equal(sync.unreadCount, 4 + count, 'the count is the whole truth, not the page');

    const oldestSeen = sync.items[0]?.seq ?? 0;
    const older: Ack<{ items: NotificationItem[] }> = await socket
      .timeout(5000)
      .emitWithAck('notification:list', { before: oldestSeen, limit: 10 });
    socket.close();
    if (!older.ok) assert.fail(older.error.message);
    assert.deepEqual(
      older.items.slice(0, 5).map((item) => postOf(item).title),
      ['Burst 5', 'Burst 4', 'Burst 3', 'Burst 2', 'Burst 1'],
      'older items page back, newest first',
    );
  });

  it('without `since`, sync holds the newest page and says whether there is more', async () => {
    const { socket, sync } = await connectSocket(server.url, reader.token);
    socket.close();
    assert.equal(sync.items.length, LIMITS.pageDefault);
    assert.equal(sync.truncated, true);
    const seqs = sync.items.map((item) => item.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'oldest first',
    );
  });

  it('a `since` the server never issued (say, after a restore from backup) gets the newest page', async () => {
    const { socket, sync } = await connectSocket(server.url, reader.token, 1_000_000);
    socket.close();
    assert.equal(sync.items.length, LIMITS.pageDefault);
    assert.equal(sync.truncated, true);
  });
});
