/**
 * Three Tidings nodes sharing one blog, as docs/SCALING.md sets them up: real `postgres`, real
 * `redis-server`, three real node processes and real nginx in front with the documented upstream
 * config, all on 127.0.0.1. Each story ends with every client's inbox compared to the database:
 * nothing lost, nothing duplicated.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { API } from '../../contract/wire.js';
import {
  errorOf,
  like,
  login,
  logout,
  markRead,
  postOf,
  publish,
  register,
  request,
  signUp,
  subscribe,
  unsubscribe,
  type TestUser,
} from '../fixtures/api.js';
import { NGINX_CONFIG, startNginx, type RunningNginx } from '../fixtures/nginx.js';
import { startPostgres, type RunningPostgres } from '../fixtures/postgres.js';
import { startRedis, type RunningRedis } from '../fixtures/redis.js';
import { startRedisRelay } from '../fixtures/redisRelay.js';
import { runCli, startServer, type RunningServer } from '../fixtures/server.js';
import { waitUntil } from '../fixtures/sockets.js';
import { assertConverged, connectInboxClient, type InboxClient } from './inboxClient.js';

const LOGIN_LIMIT = 3;

describe('three nodes on one database and one Redis', () => {
  let postgres: RunningPostgres;
  let redis: RunningRedis;
  let databaseUrl: string;
  let nginx: RunningNginx;
  const nodes: RunningServer[] = [];
  const clients: InboxClient[] = [];
  let ana: TestUser; // the author
  let ben: TestUser; // a subscriber
  let cai: TestUser; // a subscriber

  const nodeArgs = (redisUrl = redis.url) => [
    '--database-url',
    databaseUrl,
    '--redis-url',
    redisUrl,
  ];
  const startNode = (port = 0, redisUrl = redis.url) =>
    startServer({
      port,
      args: nodeArgs(redisUrl),
      // Limits on, as in production; only the login limit is small enough to reach in a test.
      env: {
        TIDINGS_RATE_LIMITS: 'on',
        TIDINGS_RATE_LOGIN: String(LOGIN_LIMIT),
        TIDINGS_RATE_LOGIN_IP: '10000',
        TIDINGS_RATE_REGISTER: '10000',
        TIDINGS_RATE_PUBLISH: '10000',
        TIDINGS_RATE_SOCKET: '10000',
        TIDINGS_RATE_HANDSHAKE: '10000',
      },
    });
  const node = (index: number): RunningServer => {
    const found = nodes[index];
    assert.ok(found, `node ${index}`);
    return found;
  };
  const client = async (url: string, user: TestUser, name = user.username) => {
    const connected = await connectInboxClient(url, name, user.token);
    clients.push(connected);
    return connected;
  };
  /** Every client still open holds what the database holds. */
  const everyoneConverged = async () => {
    for (const each of clients) {
      if (each.socket.active) await assertConverged(each, nginx.url);
    }
  };

  before(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    databaseUrl = await postgres.createDatabase();
    // One node first: it applies the migrations; the others find them done.
    nodes.push(await startNode());
    nodes.push(...(await Promise.all([startNode(), startNode()])));
    nginx = await startNginx(nodes.map((each) => each.port));
    ana = await signUp(node(0).url, 'ana');
    ben = await signUp(node(1).url, 'ben');
    cai = await signUp(node(2).url, 'cai');
    await subscribe(node(1).url, ben.token);
    await subscribe(node(2).url, cai.token);
  });

  after(async () => {
    for (const each of clients) each.close();
    await nginx?.stop();
    for (const each of nodes) {
      await each.stop();
      await each.cleanup();
    }
    await Promise.all([redis?.cleanup(), postgres?.cleanup()]);
  });

  it('refuses --redis-url without --database-url, in one line', async () => {
    const { code, stderr } = await runCli(['--port', '0', '--redis-url', redis.url]);
    assert.equal(code, 2);
    assert.match(stderr, /^tidings-server: --redis-url .*needs --database-url/);
    assert.equal(stderr.trim().split('\n').length, 1);
  });

  it('keeps a node without --redis-url off the database the nodes share', async () => {
    const { code, stderr } = await runCli(['--port', '0', '--database-url', databaseUrl]);
    assert.equal(code, 1);
    assert.match(stderr, /^tidings-server: .*another Tidings node already serves this database/);
  });

  it('documents the nginx config the tests run', async () => {
    const scaling = await readFile(join(NGINX_CONFIG, '..', '..', 'SCALING.md'), 'utf8');
    assert.ok(
      scaling.includes((await readFile(NGINX_CONFIG, 'utf8')).trim()),
      'docs/SCALING.md shows docs/scaling/nginx-tidings.conf as it is',
    );
  });

  it('delivers a post published on one node to subscribers on the others, and a like to the author', async () => {
    const benOnA = await client(node(0).url, ben, 'ben@A');
    const caiOnC = await client(node(2).url, cai, 'cai@C');
    const anaOnA = await client(node(0).url, ana, 'ana@A');

    const post = await publish(node(1).url, ana.token, 'Published through B');
    await waitUntil(
      () =>
        [benOnA, caiOnC].every((each) =>
          [...each.items.values()].some((i) => postOf(i).id === post.id),
        ),
      'both subscribers have the post',
    );
    await like(node(2).url, cai.token, post.id);
    await waitUntil(
      () => [...anaOnA.items.values()].some((i) => i.type === 'post_liked'),
      'the author on A has the like made on C',
    );
    await everyoneConverged();
  });

  it('marks read on one node and updates the same user on another', async () => {
    const benOnB = await client(node(1).url, ben, 'ben@B');
    const benOnC = await client(node(2).url, ben, 'ben@C');
    await publish(node(0).url, ana.token, 'Read me anywhere');
    await waitUntil(() => (benOnB.unread() ?? 0) > 0, 'ben@B has something unread');
    await benOnC.markAllRead();
    await waitUntil(
      () => benOnB.unread() === 0 && [...benOnB.items.values()].every((item) => item.read),
      'ben@B sees everything read',
    );
    await everyoneConverged();
  });

  // With several nodes a post published on one can reach a socket on another after the user
  // marked everything read there. The relay holds node D's pub/sub deliveries to force that order.
  it('holds as read a post pushed after a mark-all that covered it', async () => {
    const relay = await startRedisRelay(redis.port);
    const late = await startNode(0, relay.url);
    try {
      const benOnD = await client(late.url, ben, 'ben@D');
      relay.holdPushes();
      const post = await publish(node(0).url, ana.token, 'Late on D');
      await benOnD.markAllRead();
      assert.ok(
        ![...benOnD.items.values()].some((i) => postOf(i).id === post.id),
        "D has not pushed the post before the mark-all's ack",
      );
      relay.releasePushes();
      await waitUntil(
        () => [...benOnD.items.values()].some((i) => postOf(i).id === post.id),
        'ben@D gets the post after the mark-all',
      );
      await everyoneConverged();
    } finally {
      relay.releasePushes();
      for (const each of clients.filter((c) => c.name === 'ben@D')) each.close();
      clients.splice(0, clients.length, ...clients.filter((c) => c.name !== 'ben@D'));
      await late.stop();
      await late.cleanup();
      await relay.close();
    }
  });

  it('moves sockets on every node in and out of the subscribers', async () => {
    const caiOnA = await client(node(0).url, cai, 'cai@A');
    await unsubscribe(node(1).url, cai.token);
    const quiet = await publish(node(2).url, ana.token, 'While Cai is away');
    await subscribe(node(1).url, cai.token);
    const back = await publish(node(2).url, ana.token, 'Cai is back');
    await waitUntil(
      () => [...caiOnA.items.values()].some((i) => postOf(i).id === back.id),
      'cai@A gets the post after subscribing again',
    );
    assert.ok(![...caiOnA.items.values()].some((i) => postOf(i).id === quiet.id));
    await everyoneConverged();
  });

  it('disconnects a revoked token on every node, and only that token', async () => {
    const laptop = await login(nginx.url, 'ben');
    const phone = { ...ben, token: laptop.token };
    const phoneOnA = await client(node(0).url, phone, 'ben-laptop@A');
    const phoneOnC = await client(node(2).url, phone, 'ben-laptop@C');
    const others = clients.filter((each) => each.token !== laptop.token && each.socket.active);
    await logout(node(1).url, laptop.token);
    await waitUntil(
      () => [phoneOnA, phoneOnC].every((each) => each.disconnects.includes('io server disconnect')),
      "the token's sockets on A and C are disconnected",
    );
    for (const each of [phoneOnA, phoneOnC]) each.close();
    for (const each of others) {
      assert.ok(each.socket.connected, `${each.name} stays connected`);
    }
    clients.splice(0, clients.length, ...clients.filter((each) => each.token !== laptop.token));
    await everyoneConverged();
  });

  it('holds one login limit across the nodes', async () => {
    await register(node(0).url, 'dee');
    const wrong = { username: 'dee', password: 'not the password', device: 'guess' };
    for (let attempt = 0; attempt < LOGIN_LIMIT; attempt += 1) {
      const refused = await request(node(attempt % 3).url, 'POST', API.login, { json: wrong });
      assert.equal(refused.status, 401, `attempt ${attempt + 1} is checked`);
    }
    for (let index = 0; index < 3; index += 1) {
      const limited = await request(node(index).url, 'POST', API.login, { json: wrong });
      assert.equal(limited.status, 429, `node ${index} counts the attempts made on the others`);
      assert.equal(errorOf(limited).code, 'rate_limited');
    }
  });

  it('moves the clients of a node killed with -9 to the others through nginx, missing nothing', async () => {
    for (const each of clients) each.close();
    clients.length = 0;
    const viaProxy: InboxClient[] = [];
    for (let index = 0; index < 6; index += 1) {
      viaProxy.push(await client(nginx.url, index % 2 === 0 ? ben : cai, `proxied-${index}`));
    }
    await publish(nginx.url, ana.token, 'Before the crash');
    await everyoneConverged();

    const victimPort = node(0).port;
    await node(0).kill9();
    try {
      await waitUntil(
        () => viaProxy.some((each) => each.disconnects.length > 0),
        'the clients of the killed node lost their connection',
      );
      const moved = viaProxy.filter((each) => each.disconnects.length > 0);
      await publish(node(1).url, ana.token, 'While node A is gone');
      await publish(node(2).url, ana.token, 'Still gone');
      for (const each of moved) {
        await waitUntil(() => each.socket.connected, `${each.name} reconnected through nginx`);
      }
      await everyoneConverged();
    } finally {
      // The node comes back on its port, pass or fail (the stories after this one use it); nginx
      // sends it new connections again.
      await node(0).cleanup();
      nodes[0] = await startNode(victimPort);
    }
  });

  it('brings every client up to date when Redis comes back', async () => {
    const spread = [
      await client(node(0).url, ben, 'ben@A'),
      await client(node(1).url, cai, 'cai@B'),
      await client(node(2).url, ana, 'ana@C'),
      await client(node(2).url, ben, 'ben@C'),
    ];
    await redis.kill9();
    try {
      // The nodes keep serving: every write below is stored, and each node pushes its own.
      const during = await publish(node(1).url, ana.token, 'During the Redis outage');
      await like(node(0).url, ben.token, during.id);
      await markRead(node(2).url, cai.token, { all: true });
      await publish(node(0).url, ana.token, 'Still no Redis');
    } finally {
      await redis.start();
    }
    for (const each of spread) {
      await waitUntil(
        () => each.disconnects.length > 0 && each.socket.connected,
        `${each.name} was asked to catch up and reconnected`,
        10_000,
      );
    }
    await everyoneConverged();
    // And pub/sub works again.
    const afterwards = await publish(node(0).url, ana.token, 'Redis is back');
    await waitUntil(
      () =>
        spread.every(
          (each) =>
            each === spread[2] ||
            [...each.items.values()].some((i) => postOf(i).id === afterwards.id),
        ),
      'the subscribers on every node get the next post live',
    );
    await everyoneConverged();
  });

  it('answers 503 while PostgreSQL is down and converges when it is back', async () => {
    await postgres.stop();
    try {
      const refused = await request(node(1).url, 'POST', API.posts, {
        token: ana.token,
        json: { title: 'Lost', body: 'never stored' },
      });
      assert.equal(refused.status, 503);
      assert.equal(errorOf(refused).code, 'storage_unavailable');
    } finally {
      await postgres.start();
    }
    await waitUntil(
      async () => (await request(node(2).url, 'GET', API.posts)).status === 200,
      'the nodes read the database again',
      10_000,
    );
    await publish(node(2).url, ana.token, 'After PostgreSQL came back');
    await everyoneConverged();
  });
});
