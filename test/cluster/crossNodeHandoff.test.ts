/**
 * The handoff from a socket's catch-up to live pushes stays exact across nodes (issue 14: with
 * several nodes an item committed on node A could reach a socket on node B in `sync` and again
 * live, when A's push of it landed after the socket's handoff on B had ended).
 *
 * The interleaving is forced, not hoped for: node A runs with the TIDINGS_TEST_HOLD_COMMITS seam
 * (server/store/postgres/writesInFlight.ts), which holds each of its writes after COMMIT and
 * before it resolves (so before its push) until A gets SIGUSR2. While A holds a post, a socket
 * on node B catches up (its `sync` has the post, committed in the database) and B runs its
 * handoff to the end of its own part; only then is A released. Real `postgres`, real
 * `redis-server`, two real node processes, a real socket.io client counting what it is handed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NotificationItem, SyncPayload } from '../../contract/wire.js';
import {
  listNotifications,
  postOf,
  publish,
  signUp,
  subscribe,
  type TestUser,
} from '../fixtures/api.js';
import { startPostgres, type RunningPostgres } from '../fixtures/postgres.js';
import { startRedis, type RunningRedis } from '../fixtures/redis.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import {
  createSocket,
  nextEvent,
  roundTrip,
  waitUntil,
  type TidingsSocket,
} from '../fixtures/sockets.js';

const HELD = /test seam: a commit is held until SIGUSR2/g;

describe('the handoff from sync to live pushes across two nodes', () => {
  let postgres: RunningPostgres;
  let redis: RunningRedis;
  let nodeA: RunningServer; // holds its commits (the seam)
  let nodeB: RunningServer; // where the socket connects
  let ana: TestUser; // the author, publishing through A
  let ben: TestUser; // a subscriber, connected to B
  const sockets: TidingsSocket[] = [];

  before(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    const databaseUrl = await postgres.createDatabase();
    const args = ['--database-url', databaseUrl, '--redis-url', redis.url];
    // B first: it applies the migrations. Every account is made through B, so A's only writes
    // are the posts the test publishes through it.
    nodeB = await startServer({ args });
    nodeA = await startServer({ args, env: { TIDINGS_TEST_HOLD_COMMITS: 'on' } });
    ana = await signUp(nodeB.url, 'ana');
    ben = await signUp(nodeB.url, 'ben');
    await subscribe(nodeB.url, ben.token);
  });

  after(async () => {
    for (const socket of sockets) socket.close();
    // A commit still held (a failed assertion) would hold node A's stop too.
    if (nodeA?.child.pid) process.kill(nodeA.child.pid, 'SIGUSR2');
    for (const node of [nodeA, nodeB]) {
      await node?.stop();
      await node?.cleanup();
    }
    await Promise.all([redis?.cleanup(), postgres?.cleanup()]);
  });

  const heldSoFar = (): number => nodeA.output().match(HELD)?.length ?? 0;

  /** Publishes through A and returns once A holds the post's commit (committed, not pushed). */
  async function publishHeld(title: string): Promise<{ posting: Promise<unknown> }> {
    const before = heldSoFar();
    const posting = publish(nodeA.url, ana.token, title);
    await waitUntil(() => heldSoFar() > before, `node A holds the commit of "${title}"`);
    return { posting }; // wrapped: an async function returning a promise would wait for it
  }

  const releaseA = (): void => {
    assert.ok(nodeA.child.pid, 'node A runs');
    process.kill(nodeA.child.pid, 'SIGUSR2');
  };

  it("hands a post another node committed once, when its push lands after the socket's sync", async () => {
    const { posting } = await publishHeld('Held on node A');
    const { items } = await listNotifications(nodeB.url, ben.token);
    const held = items.find((item) => postOf(item).title === 'Held on node A');
    assert.ok(held, 'the post is committed: node B reads it from the database');

    const socket = createSocket(nodeB.url, { token: ben.token });
    sockets.push(socket);
    const live: NotificationItem[] = [];
    socket.on('notification:new', (item) => live.push(item));
    const synced = nextEvent(socket, 'sync');
    socket.connect();
    const sync: SyncPayload = await synced;
    assert.ok(
      sync.items.some((item) => item.id === held.id),
      "the socket's catch-up has the post",
    );
    // B's own part of the handoff (a refresh of the newest seq, then one turn) is over before it
    // answers a request that waits for one more refresh, asked after the `sync` arrived: without
    // the barrier the handoff has ended by then, with it the handoff waits for node A.
    await roundTrip(socket);
    await listNotifications(nodeB.url, ben.token);

    releaseA();
    await posting;
    // A post after it, from the same node: A publishes it to Redis after the held post's push,
    // so once it has arrived live, so has anything of the held post.
    const { posting: nextPosting } = await publishHeld('After it, on node A');
    releaseA();
    await nextPosting;
    await waitUntil(
      () => live.some((item) => postOf(item).title === 'After it, on node A'),
      'the next post arrives live',
    );

    const times = [...sync.items, ...live].filter((item) => item.id === held.id).length;
    assert.equal(times, 1, 'handed once, in sync, not again live');
  });
});
