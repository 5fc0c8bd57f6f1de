/**
 * The per-user socket cap across nodes (issue 12's known limit "the socket cap counts per node"):
 * two real nodes on one PostgreSQL and one Redis, --max-sockets-per-user 2. The cap holds for the
 * user's sockets on both nodes together, a burst of handshakes spread over both cannot slip past
 * it, and the sockets of a node killed with -9 stop counting (once its heartbeat in Redis has
 * expired, server/cluster/sharedSocketCap.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient, type RedisClientType } from 'redis';
import { signUp } from '../fixtures/api.js';
import { startPostgres, type RunningPostgres } from '../fixtures/postgres.js';
import { startRedis, type RunningRedis } from '../fixtures/redis.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import {
  connectError,
  connectSocket,
  createSocket,
  waitUntil,
  type TidingsSocket,
} from '../fixtures/sockets.js';

const CAP = 2;
/** Longer than a killed node's sockets keep counting (ALIVE_MS, 15 s), with room on a busy box. */
const DEAD_NODE_GONE_MS = 40_000;

describe('the socket cap across nodes', () => {
  let postgres: RunningPostgres;
  let redis: RunningRedis;
  const nodes: RunningServer[] = [];
  const sockets: TidingsSocket[] = [];

  const node = (index: number): RunningServer => {
    const found = nodes[index];
    assert.ok(found, `node ${index}`);
    return found;
  };
  const connect = async (url: string, token: string): Promise<TidingsSocket> => {
    const { socket } = await connectSocket(url, token);
    sockets.push(socket);
    return socket;
  };
  /** The next handshake's refusal code, or 'connected'. */
  const tryConnect = async (url: string, token: string): Promise<string> => {
    const socket = createSocket(url, { token });
    sockets.push(socket);
    const connected = new Promise<string>((resolve) =>
      socket.once('sync', () => resolve('connected')),
    );
    const refused = connectError(socket).then((error) => error.data?.code ?? error.message);
    socket.connect();
    const outcome = await Promise.race([connected, refused]);
    if (outcome !== 'connected') socket.close();
    return outcome;
  };
  /** Polled checks that open sockets: a few a second, not a hundred. */
  const pause = () => new Promise((resolve) => setTimeout(resolve, 250));

  /** The test's own view of Redis, to snapshot it and read the counts. */
  let admin: RedisClientType;
  const reconnectAdmin = async (): Promise<void> => {
    await admin?.disconnect().catch(() => undefined);
    admin = createClient({ url: redis.url });
    admin.on('error', () => undefined); // Redis restarts in one test
    await admin.connect();
  };

  before(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    await reconnectAdmin();
    const args = ['--database-url', await postgres.createDatabase(), '--redis-url', redis.url];
    const env = { TIDINGS_MAX_SOCKETS_PER_USER: String(CAP) };
    // One node first: it applies the migrations; the other finds them done.
    nodes.push(await startServer({ args, env }));
    nodes.push(await startServer({ args, env }));
  });

  after(async () => {
    await admin?.disconnect().catch(() => undefined);
    for (const socket of sockets) socket.close();
    for (const each of nodes) {
      await each.stop();
      await each.cleanup();
    }
    await Promise.all([redis?.cleanup(), postgres?.cleanup()]);
  });

  it('counts a user’s sockets on every node against one cap', async () => {
    const ana = await signUp(node(0).url, 'ana');
    await connect(node(0).url, ana.token);
    const onB = await connect(node(1).url, ana.token);

    assert.equal(await tryConnect(node(0).url, ana.token), 'rate_limited');
    assert.equal(await tryConnect(node(1).url, ana.token), 'rate_limited');

    // Closing the one on node B frees a place on node A.
    onB.close();
    let outcome = '';
    await waitUntil(async () => {
      await pause();
      outcome = await tryConnect(node(0).url, ana.token);
      return outcome === 'connected';
    }, `a place is free again (last answer: ${outcome})`);
  });

  it('lets no burst of handshakes spread over both nodes slip past the cap', async () => {
    const ben = await signUp(node(0).url, 'ben');
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => tryConnect(node(i % 2).url, ben.token)),
    );
    assert.equal(outcomes.filter((outcome) => outcome === 'connected').length, CAP);
    assert.equal(outcomes.filter((outcome) => outcome === 'rate_limited').length, 10 - CAP);
  });

  it('counts afresh after Redis restarts from a snapshot older than the counts', async () => {
    const dee = await signUp(node(0).url, 'dee');
    const onA = await connect(node(0).url, dee.token);
    const onB = await connect(node(1).url, dee.token);
    const counted = async (): Promise<number> => {
      const fields = await admin.hGetAll(`tidings:sockets:${dee.user.id}`);
      return Object.values(fields).reduce((sum, value) => sum + Number(value), 0);
    };
    // A snapshot while she holds two sockets, then one closes: Redis counts one.
    await admin.sendCommand(['SAVE']);
    onB.close();
    await waitUntil(async () => (await counted()) === 1, 'the closed socket was taken back');

    // Redis restarts from that snapshot: its count of two is stale. The nodes ask their clients
    // to reconnect, so she holds none until she connects again.
    await redis.kill9();
    await redis.start();
    await waitUntil(() => !onA.connected, 'the node closed its socket after the outage', 10_000);
    await reconnectAdmin();
    let outcome = '';
    await waitUntil(async () => {
      await pause();
      outcome = await tryConnect(node(0).url, dee.token);
      return outcome === 'connected';
    }, `one socket is let in again (last answer: ${outcome})`);
    assert.equal(await tryConnect(node(1).url, dee.token), 'connected', 'two are allowed');
    assert.equal(await tryConnect(node(1).url, dee.token), 'rate_limited');
  });

  it('stops counting the sockets of a node killed with -9', async () => {
    const cai = await signUp(node(0).url, 'cai');
    await connect(node(1).url, cai.token);
    await connect(node(1).url, cai.token);
    assert.equal(await tryConnect(node(0).url, cai.token), 'rate_limited');

    await node(1).kill9();
    const held: string[] = [];
    await waitUntil(
      async () => {
        await pause();
        if ((await tryConnect(node(0).url, cai.token)) === 'connected') held.push('one');
        return held.length === CAP;
      },
      'the killed node’s sockets stop counting',
      DEAD_NODE_GONE_MS,
    );
    // And the cap holds again with the places taken on the live node.
    assert.equal(await tryConnect(node(0).url, cai.token), 'rate_limited');
  });
});
