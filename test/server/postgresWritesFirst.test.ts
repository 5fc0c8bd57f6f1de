/**
 * A reader's write on PostgreSQL does not queue behind a backlog of reads (a reconnect storm's
 * catch-ups): real `postgres`, a real server process, a real socket. The test holds a lock that
 * every read of the feeds table waits for, sends more such reads than the node's pool has
 * connections, and then marks the reader's inbox read over a socket connected before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API } from '../../contract/wire.js';
import { DEFAULT_POOL_SIZE } from '../../server/store/postgres/database.js';
import { readsAtOnce } from '../../server/store/postgres/readGate.js';
import { publish, request, signUp, subscribe } from '../fixtures/api.js';
import { holdTableLock, startPostgres, type RunningPostgres } from '../fixtures/postgres.js';
import { startServer, stopServers, type RunningServer } from '../fixtures/server.js';
import { connectSocket, waitUntil } from '../fixtures/sockets.js';

/** More reads than the pool has connections, so some must queue. */
const READS = DEFAULT_POOL_SIZE * 3;

describe('a node on PostgreSQL under a backlog of reads', () => {
  let postgres: RunningPostgres;
  const servers: RunningServer[] = [];

  before(async () => {
    postgres = await startPostgres();
  });
  after(async () => {
    await stopServers(servers);
    await postgres?.cleanup();
  });

  it('commits a reader’s mark-read while every read the pool lets run waits and more are queued', async () => {
    const databaseUrl = await postgres.createDatabase();
    const server = await startServer({ args: ['--database-url', databaseUrl] });
    servers.push(server);
    const admin = await signUp(server.url, 'ana');
    const reader = await signUp(server.url, 'ben');
    await subscribe(server.url, reader.token);
    await publish(server.url, admin.token, 'Before the herd');
    const { socket } = await connectSocket(server.url, reader.token);

    const lock = await holdTableLock(databaseUrl, 'feeds');
    try {
      const answered: number[] = [];
      const reads = Array.from({ length: READS }, () =>
        request(server.url, 'GET', API.feeds, { token: admin.token }).then((result) => {
          answered.push(result.status);
          return result.status;
        }),
      );
      await waitUntil(
        async () => (await lock.readsWaiting()) >= readsAtOnce(DEFAULT_POOL_SIZE),
        'the pool holds the reads it lets run, each waiting for the lock',
      );

      const cursor = async () =>
        (
          await lock.observer.query<{ cursor_seq: number }>(
            'SELECT cursor_seq FROM read_state WHERE user_id = $1',
            [reader.user.id],
          )
        ).rows[0]?.cursor_seq ?? 0;
      let acked: unknown;
      const ack = socket
        .timeout(30_000)
        .emitWithAck('notification:mark-read', { all: true })
        .then((value) => (acked = value));
      // Before the reads' gate this write queued behind them, and pg.Pool's wait for a
      // connection (5 s) answered the mark-read with storage_unavailable, uncommitted.
      await waitUntil(
        async () => acked !== undefined || (await cursor()) > 0,
        'the mark-read committed or was answered',
        30_000,
      );
      assert.ok((await cursor()) > 0, `the mark-read did not commit: ${JSON.stringify(acked)}`);
      assert.deepEqual(answered, [], 'no queued read was answered before the write committed');
      assert.ok(
        (await lock.readsWaiting()) >= readsAtOnce(DEFAULT_POOL_SIZE),
        'the reads still wait',
      );

      await lock.release();
      assert.deepEqual(await Promise.all(reads), Array<number>(READS).fill(200));
      const seq = await cursor();
      assert.deepEqual(await ack, { ok: true, unreadCount: 0, upToSeq: seq, readUpToSeq: seq });
    } finally {
      socket.close();
      await lock.end();
    }
  });
});
