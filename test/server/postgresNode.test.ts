/**
 * Stories of an operator running Tidings on PostgreSQL (--database-url), with real `postgres` and
 * real server processes: a node without Redis is alone on its database, the database going away
 * turns writes into 503s and pushes nothing, the node recovers by itself, and the admin commands
 * work beside a running node (a revoked token's live socket is dropped at once).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { API } from '../../contract/wire.js';
import { DEFAULT_POOL_SIZE } from '../../server/store/postgres/database.js';
import {
  errorOf,
  login,
  postOf,
  publish,
  request,
  signUp,
  subscribe,
  TEST_PASSWORD,
} from '../fixtures/api.js';
import { startPostgres, type RunningPostgres } from '../fixtures/postgres.js';
import { runCli, startServer, stopServers, type RunningServer } from '../fixtures/server.js';
import {
  connectSocket,
  nextDisconnect,
  nextEvent,
  recordEvents,
  roundTrip,
} from '../fixtures/sockets.js';

/** One line on stderr, naming the program, and no stack trace. */
function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0] ?? '', /^tidings-server: /);
  assert.match(lines[0] ?? '', pattern);
}

describe('a node on PostgreSQL', () => {
  let postgres: RunningPostgres;
  const servers: RunningServer[] = [];
  const startNode = async (databaseUrl: string) => {
    const server = await startServer({ args: ['--database-url', databaseUrl] });
    servers.push(server);
    return server;
  };

  before(async () => {
    postgres = await startPostgres();
  });
  after(async () => {
    await stopServers(servers);
    await postgres?.cleanup();
  });

  it('keeps the blog in the database, not in the data dir, across restarts', async () => {
    const databaseUrl = await postgres.createDatabase();
    const first = await startNode(databaseUrl);
    await signUp(first.url, 'ana');
    assert.equal(await first.stop(), 0);
    const second = await startNode(databaseUrl);
    assert.equal((await login(second.url, 'ana')).user.username, 'ana');
  });

  it('has its pool open before it reports ready, so its first requests open no connection', async () => {
    const databaseUrl = await postgres.createDatabase();
    await startNode(databaseUrl);
    const observer = new pg.Client({ connectionString: databaseUrl });
    await observer.connect();
    try {
      // Every other backend on this database is the node's: its pool, its lock and its LISTEN.
      const { rows } = await observer.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      assert.ok(
        (rows[0]?.n ?? 0) >= DEFAULT_POOL_SIZE + 2,
        `the node holds ${rows[0]?.n} connections, not its pool of ${DEFAULT_POOL_SIZE} and two more`,
      );
    } finally {
      await observer.end();
    }
  });

  it('still starts when PostgreSQL allows it fewer connections than its pool, and says so', async () => {
    const databaseUrl = await postgres.createDatabase();
    // A role limited to 6 connections (the superuser is exempt from limits) owning the database:
    // the node's lock and LISTEN leave 4 of its pool's 10.
    const url = new URL(databaseUrl);
    const role = `limited_${url.pathname.slice(1)}`;
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE "${role}" LOGIN CONNECTION LIMIT 6`);
      await admin.query(`ALTER DATABASE "${url.pathname.slice(1)}" OWNER TO "${role}"`);
    } finally {
      await admin.end();
    }
    url.username = role;
    const node = await startNode(url.href);
    assert.equal((await signUp(node.url, 'ana')).user.username, 'ana');
    await node.waitForOutput(/warmed 4 of the pool's 10 connections at start/);
  });

  it('without --redis-url refuses to start beside another node on the same database', async () => {
    const databaseUrl = await postgres.createDatabase();
    const first = await startNode(databaseUrl);
    const { code, stderr } = await runCli(['--port', '0', '--database-url', databaseUrl]);
    assert.equal(code, 1);
    assertOneLine(stderr, /another Tidings node already serves this database.*--redis-url/);

    // The lock dies with its holder: after kill -9, a new node starts at once.
    await first.kill9();
    const second = await startNode(databaseUrl);
    assert.equal((await request(second.url, 'GET', API.health)).status, 200);
  });

  it('answers 503 storage_unavailable while PostgreSQL is down, pushes nothing, then recovers by itself', async () => {
    const databaseUrl = await postgres.createDatabase();
    const server = await startNode(databaseUrl);
    const author = await signUp(server.url, 'ana');
    const reader = await signUp(server.url, 'ben');
    await subscribe(server.url, reader.token);
    const { socket } = await connectSocket(server.url, reader.token);
    try {
      const seen = recordEvents(socket);
      await postgres.stop();
      try {
        const refused = await request(server.url, 'POST', API.posts, {
          token: author.token,
          json: { title: 'Lost in the outage', body: 'nobody sees this' },
        });
        assert.equal(refused.status, 503);
        assert.equal(errorOf(refused).code, 'storage_unavailable');
      } finally {
        await postgres.start();
      }
      assert.deepEqual(
        seen.filter((event) => event.name === 'notification:new'),
        [],
        'nothing was pushed for the write that failed',
      );

      // No restart of the node: the next publish goes through and reaches the socket.
      const arrived = nextEvent(socket, 'notification:new');
      const post = await publish(server.url, author.token, 'After the outage');
      const item = await arrived;
      assert.equal(postOf(item).id, post.id);
      await roundTrip(socket);
      assert.deepEqual(
        seen.filter((event) => event.name === 'notification:new').length,
        1,
        'only the post that was stored',
      );
    } finally {
      socket.close();
    }
  });

  it('runs the admin commands against the database while the node serves it', async () => {
    const databaseUrl = await postgres.createDatabase();
    const server = await startNode(databaseUrl);
    const admin = (args: string[], env: Record<string, string> = {}) =>
      runCli([...args, '--database-url', databaseUrl], env);

    const owner = await admin(['users', 'add', 'owner'], { TIDINGS_PASSWORD: TEST_PASSWORD });
    assert.equal(owner.code, 0, owner.stderr);
    assert.equal(owner.stdout.trim(), 'added owner (admin, author)');
    const rita = await admin(['users', 'add', 'rita'], { TIDINGS_PASSWORD: TEST_PASSWORD });
    assert.equal(rita.stdout.trim(), 'added rita');

    // The running node sees each change at once.
    const session = await login(server.url, 'rita');
    assert.equal(session.user.isAuthor, false);
    assert.equal(
      (await admin(['users', 'make-author', 'rita'])).stdout.trim(),
      'rita is now an author',
    );
    const post = await request(server.url, 'POST', API.posts, {
      token: session.token,
      json: { title: 'Rita writes', body: 'now she may' },
    });
    assert.equal(post.status, 201, JSON.stringify(post.body));

    assert.equal(
      (await admin(['registration', 'closed'])).stdout.trim(),
      'registration is now closed',
    );
    const closed = await request(server.url, 'POST', API.register, {
      json: { username: 'newbie', password: TEST_PASSWORD },
    });
    assert.equal(errorOf(closed).code, 'registration_closed');

    // A revocation from the command line also ends the live socket the token opened.
    const { socket } = await connectSocket(server.url, session.token);
    try {
      const dropped = nextDisconnect(socket);
      assert.equal(
        (await admin(['tokens', 'revoke', 'rita'])).stdout.trim(),
        'revoked 1 token of rita',
      );
      assert.equal(await dropped, 'io server disconnect');
    } finally {
      socket.close();
    }
    const revoked = await request(server.url, 'GET', API.me, { token: session.token });
    assert.equal(revoked.status, 401);
  });
});
