/**
 * A stop the command line cuts short at its 10 s limit (SHUTDOWN_LIMIT_MS in server/cli.ts): it
 * exits 1, as the close was not finished, and says what happened and that every acknowledged
 * change is safe, which is true (docs/STORAGE.md, "A stop cut short"). It used to say "pending
 * writes did not finish in time", which reads like lost data.
 *
 * Through real parts: a server on a real PostgreSQL, a like whose transaction waits on a lock this
 * test holds, so the store's close (which waits for that write) outlasts the limit. The post
 * acknowledged before the stop is there after a restart.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { API } from '../../contract/wire.js';
import { like, publish, request, signUp } from '../fixtures/api.js';
import { startPostgres, type RunningPostgres } from '../fixtures/postgres.js';
import { startServer, stopServers, type RunningServer } from '../fixtures/server.js';

let postgres: RunningPostgres;
const servers: RunningServer[] = [];
let holder: pg.Client | undefined;

before(async () => {
  postgres = await startPostgres();
});

after(async () => {
  await holder?.end().catch(() => undefined);
  await stopServers(servers, { kill9: true });
  await postgres?.cleanup();
});

async function waitForLockWait(client: pg.Client): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 10_000;) {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
    );
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the like never waited on the lock');
}

it('a stop cut short at the limit exits 1, says acknowledged changes are safe, and they are', async () => {
  const databaseUrl = await postgres.createDatabase();
  const args = ['--database-url', databaseUrl];
  const server = await startServer({ args });
  servers.push(server);
  const ana = await signUp(server.url, 'ana');
  const ben = await signUp(server.url, 'ben');
  const post = await publish(server.url, ana.token, 'Acknowledged');

  // A like whose write waits on a lock this test holds: the store cannot close while it waits.
  holder = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE likes IN ACCESS EXCLUSIVE MODE');
  const liking = like(server.url, ben.token, post.id).catch(() => undefined); // cut by the stop
  await waitForLockWait(holder);

  const code = await server.stop();
  await holder.query('ROLLBACK');
  await liking;
  const output = server.output();
  assert.equal(code, 1, output);
  assert.match(output, /the stop took longer than 10 s and was cut short/);
  assert.match(output, /every acknowledged change is safe/);
  assert.doesNotMatch(output, /pending writes did not finish/);

  const again = await startServer({ args });
  servers.push(again);
  const kept = await request<{ title: string }>(again.url, 'GET', API.post(post.id), {
    token: ana.token,
  });
  assert.equal(kept.status, 200);
  assert.equal(kept.body.title, 'Acknowledged');
});
