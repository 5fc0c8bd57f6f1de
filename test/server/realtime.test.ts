/**
 * Stories of the live connection: a reader subscribes and hears about new posts the moment they
 * are published; an author hears about likes; read state follows a user across devices.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  like,
  markRead,
  publish,
  setAuthor,
  signUp,
  subscribe,
  unreadCount,
  unsubscribe,
  type TestUser,
  postOf,
} from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import {
  connectSocket,
  nextEvent,
  recordEvents,
  roundTrip,
  type TidingsSocket,
} from '../fixtures/sockets.js';

describe('realtime notifications', () => {
  let server: RunningServer;
  let ana: TestUser; // admin and author: the first account
  let ben: TestUser; // reader, subscribed
  let cleo: TestUser; // reader, not subscribed
  const sockets: TidingsSocket[] = [];
  const connect = async (user: TestUser, since?: number) => {
    const connection = await connectSocket(server.url, user.token, since);
    sockets.push(connection.socket);
    return connection;
  };

  before(async () => {
    server = await startServer();
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
    cleo = await signUp(server.url, 'cleo');
    await subscribe(server.url, ben.token);
    await subscribe(server.url, ana.token); // authors may subscribe too, yet never hear of their own posts
  });

  after(async () => {
    for (const socket of sockets) socket.close();
    await server.stop();
    await server.cleanup();
  });

  it('a subscriber hears of a new post at once, and no count follows it; the author hears nothing', async () => {
    const { socket: benSocket, sync } = await connect(ben);
    assert.equal(sync.unreadCount, 0);
    const { socket: anaSocket } = await connect(ana);
    const { socket: cleoSocket } = await connect(cleo);
    const anaEvents = recordEvents(anaSocket);
    const cleoEvents = recordEvents(cleoSocket);

    const benEvents = recordEvents(benSocket);
    const arrived = nextEvent(benSocket, 'notification:new');
    const post = await publish(server.url, ana.token, 'Spring is here');
    const item = await arrived;

    assert.equal(item.type, 'new_post');
    assert.equal(item.message, 'ana published “Spring is here”');
    assert.deepEqual(item.post, { id: post.id, title: 'Spring is here', url: post.url });
    assert.equal(item.post.url, `${server.url}/posts/${post.id}`);
    assert.deepEqual(item.actor, { id: ana.user.id, name: 'ana' });
    assert.equal(item.read, false);

    // Protocol 2: the client adds one per item itself; a round trip flushes anything sent.
    await roundTrip(benSocket);
    assert.deepEqual(
      benEvents.map((event) => event.name),
      ['notification:new'],
      'no unread:count after a new post',
    );
    await roundTrip(anaSocket);
    await roundTrip(cleoSocket);
    assert.deepEqual(anaEvents, [], 'the author gets nothing for her own post');
    assert.deepEqual(cleoEvents, [], 'a non-subscriber gets nothing');
    assert.equal(await unreadCount(server.url, ana.token), 0);
    assert.equal(await unreadCount(server.url, ben.token), 1);
  });

  it('a like reaches the author alone, once, however often it is repeated', async () => {
    await setAuthor(server.url, ana.token, 'cleo');
    const post = await publish(server.url, cleo.token, 'Cleo writes');
    const { socket: cleoSocket, sync } = await connect(cleo);
    const { socket: benSocket } = await connect(ben);
    const benEvents = recordEvents(benSocket);
    const cleoEvents = recordEvents(cleoSocket);

    const arrived = nextEvent(cleoSocket, 'notification:new');
    assert.deepEqual(await like(server.url, ben.token, post.id), { liked: true, likeCount: 1 });
    const item = await arrived;
    assert.equal(item.type, 'post_liked');
    assert.equal(item.message, 'ben liked “Cleo writes”');
    assert.deepEqual(item.actor, { id: ben.user.id, name: 'ben' });
    assert.ok(item.seq > sync.upToSeq, 'above what the sync count covered: the client adds one');
    assert.equal(await unreadCount(server.url, cleo.token), sync.unreadCount + 1);

    assert.deepEqual(await like(server.url, ben.token, post.id), { liked: true, likeCount: 1 });
    await like(server.url, cleo.token, post.id); // her own like notifies nobody
    await roundTrip(cleoSocket);
    await roundTrip(benSocket);
    assert.deepEqual(
      cleoEvents.map((event) => event.name),
      ['notification:new'],
      'one notification for the first like only, and no unread:count',
    );
    assert.deepEqual(
      benEvents.filter((event) => event.name === 'notification:new').map((e) => e.payload),
      [],
      'the liker hears nothing of his like',
    );
  });

  it('marking read on one device updates the count on the other device of that user', async () => {
    const { socket: laptop } = await connect(ben);
    const { socket: phone, sync } = await connect(ben);
    const unread = sync.items.filter((item) => !item.read);
    assert.ok(unread.length > 0, 'ben has something unread');
    const first = unread[0];
    assert.ok(first);

    const laptopEvents = recordEvents(laptop);
    const readOnPhone = nextEvent(phone, 'notification:read');
    const countOnPhone = nextEvent(phone, 'unread:count');
    const ack = await laptop
      .timeout(5000)
      .emitWithAck('notification:mark-read', { ids: [first.id] });
    assert.deepEqual(ack, { ok: true, unreadCount: sync.unreadCount - 1, upToSeq: sync.upToSeq });
    assert.deepEqual(await readOnPhone, { ids: [first.id] });
    await roundTrip(laptop);
    assert.deepEqual(
      laptopEvents.map((event) => event.name),
      ['unread:count'],
      'the device that marked read gets the count, not its own change back',
    );
    assert.deepEqual(await countOnPhone, {
      unreadCount: sync.unreadCount - 1,
      upToSeq: sync.upToSeq,
    });

    const allOnLaptop = nextEvent(laptop, 'notification:read');
    const zeroOnLaptop = nextEvent(laptop, 'unread:count');
    assert.equal(await markRead(server.url, ben.token, { all: true }), 0);
    const change = await allOnLaptop;
    assert.ok('all' in change && change.all);
    assert.deepEqual(await zeroOnLaptop, { unreadCount: 0, upToSeq: sync.upToSeq });
  });

  it('subscribing and unsubscribing over HTTP moves the live sockets in and out of the room', async () => {
    const { socket } = await connect(cleo);
    const events = recordEvents(socket);
    await subscribe(server.url, cleo.token);
    const arrived = nextEvent(socket, 'notification:new');
    await publish(server.url, ana.token, 'For everyone');
    assert.equal(postOf(await arrived).title, 'For everyone');

    await unsubscribe(server.url, cleo.token);
    const benHears = nextEvent((await connect(ben)).socket, 'notification:new');
    await publish(server.url, ana.token, 'Not for cleo');
    await benHears;
    await roundTrip(socket);
    assert.deepEqual(
      events
        .filter((e) => e.name === 'notification:new')
        .map((e) => (e.payload as { post: { title: string } }).post.title),
      ['For everyone'],
    );
  });
});
