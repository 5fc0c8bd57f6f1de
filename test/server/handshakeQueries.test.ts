/**
 * A reconnect storm on PostgreSQL: many sockets handshaking at once share their token and user
 * lookups and their catch-up's reads (server/store/postgres/batchedLookup.ts) instead of one
 * query each, and every socket still gets its own user's inbox. Real `postgres` with pg_stat_statements counting what the server sent,
 * a real server process, real socket.io clients.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { login, publish, register, signUp, subscribe, TEST_PASSWORD } from '../fixtures/api.js';
import { startPostgres, type RunningPostgres } from '../fixtures/postgres.js';
import { startServer, stopServers, type RunningServer } from '../fixtures/server.js';
import { connectSocket } from '../fixtures/sockets.js';

const READERS = 8;
const DEVICES_EACH = 5;

/** Calls the server made of the statements whose text contains `fragment`. */
async function callsOf(client: pg.Client, fragment: string): Promise<number> {
  const { rows } = await client.query<{ calls: number }>(
    `SELECT coalesce(sum(calls), 0)::int AS calls FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query LIKE '%' || $1 || '%'`,
    [fragment],
  );
  return rows[0]?.calls ?? 0;
}

describe('handshakes on PostgreSQL', () => {
  let postgres: RunningPostgres;
  const servers: RunningServer[] = [];
  before(async () => {
    postgres = await startPostgres({
      settings: { shared_preload_libraries: 'pg_stat_statements' },
    });
  });
  after(async () => {
    await stopServers(servers);
    await postgres?.cleanup();
  });

  it('look up many sockets’ tokens, users and catch-up reads in fewer queries than sockets, each its own user', async (t) => {
    const databaseUrl = await postgres.createDatabase();
    const server = await startServer({
      args: ['--database-url', databaseUrl],
      env: { TIDINGS_PASSWORD_COST: '10' },
    });
    servers.push(server);
    const writer = await signUp(server.url, 'writer');
    // Reader i subscribes just before post i: their inbox is posts i and later, theirs alone.
    const tokens: { reader: number; token: string }[] = [];
    for (let reader = 0; reader < READERS; reader += 1) {
      const username = `reader${reader}`;
      await register(server.url, username);
      for (let device = 0; device < DEVICES_EACH; device += 1) {
        const { token } = await login(server.url, username, TEST_PASSWORD, `device ${device}`);
        tokens.push({ reader, token });
      }
      await subscribe(server.url, tokens.at(-1)?.token ?? '');
      await publish(server.url, writer.token, `post ${reader}`);
    }

    const stats = new pg.Client({ connectionString: databaseUrl });
    await stats.connect();
    try {
      await stats.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await stats.query('SELECT pg_stat_statements_reset()');
      const connected = await Promise.all(
        tokens.map(async ({ reader, token }) => ({
          reader,
          ...(await connectSocket(server.url, token)),
        })),
      );
      for (const { socket } of connected) socket.close();

      for (const { reader, sync } of connected) {
        const titles = sync.items.map((item) => (item.type === 'new_post' ? item.post.title : ''));
        const expected = Array.from({ length: READERS - reader }, (_, i) => `post ${reader + i}`);
        assert.deepEqual(titles, expected, `reader${reader}'s socket got reader${reader}'s inbox`);
      }
      const sockets = tokens.length;
      // The handshake's two lookups, the connect's subscription check, then the catch-up's
      // settling read of the newest seq (the listener's own refreshes are a few more, if any),
      // its page of the inbox and its unread count.
      const lookups = {
        tokens: await callsOf(stats, 'FROM tokens WHERE token_hash'),
        users: await callsOf(stats, 'FROM users WHERE id'),
        subscribed: await callsOf(stats, 'AND to_seq IS NULL'),
        newestSeq: await callsOf(stats, 'SELECT latest_seq FROM event_seq'),
        inboxPages: await callsOf(stats, 'v.seq = ANY(coalesce(r.above'),
        unreadCounts: await callsOf(stats, 'AS q(key, user_id, up_to)'),
      };
      t.diagnostic(`${sockets} sockets: ${JSON.stringify(lookups)} queries`);
      for (const [what, calls] of Object.entries(lookups)) {
        assert.ok(
          calls >= 1 && calls < sockets,
          `${calls} queries for ${what}, ${sockets} sockets`,
        );
      }
    } finally {
      await stats.end();
    }
  });
});
