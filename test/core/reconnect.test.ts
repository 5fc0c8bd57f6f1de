/**
 * Losing the server and getting it back: restarts, network drops, revoked tokens, several
 * devices, app restarts and servers this app cannot talk to. Nothing is lost or repeated.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { Server as SocketServer } from 'socket.io';
import { startServer } from '../fixtures/server.js';
import { PROTOCOL_VERSION, titleOf, type ServerToClientEvents } from '../../contract/wire.js';
import type { ConnectionStatus } from '../../contract/ipc.js';
import { createConnection } from '../../main/core/connection.js';
import { credentialAccount } from '../../main/core/credentials/credentialAccount.js';
import { defaultSettings } from '../../main/core/settingsSchema.js';
import { ALERT_RULES } from '../../main/core/alertPolicy.js';
import { publish, signUp, logout, subscribe } from '../fixtures/api.js';
import {
  createCoreUnderTest,
  signedInCore,
  startBlog,
  settle,
  waitFor,
  waitForSnapshot,
} from './coreHarness.js';
import { startTcpProxy } from './tcpProxy.js';
import { createFakeClock } from './fakeClock.js';

const cleanups: (() => Promise<unknown>)[] = [];
const defer = (cleanup: () => Promise<unknown>): void => void cleanups.push(cleanup);
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

test('the server stops and restarts on the same port: offline with a retry time, then online, nothing lost', async () => {
  const { server, ana, ben } = await startBlog(defer);
  const app = await signedInCore(defer, server.url, ben);
  await publish(server.url, ana.token, 'Before the restart');
  await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 1, 'unread 1');

  await server.stop();
  const offline = await waitForSnapshot(app.core, (s) => s.status.state === 'offline', 'offline');
  assert.ok(offline.status.state === 'offline' && offline.status.retryAt > Date.now() - 1_000);
  assert.match(app.badges.at(-1)?.tooltip ?? '', /^Tidings: offline, retrying in \d+ s$/);

  const again = await startServer({ dataDir: server.dataDir, port: server.port });
  cleanups.push(() => again.stop());
  await waitForSnapshot(
    app.core,
    (s) => s.status.state === 'online',
    'online again after the restart',
    20_000,
  );
  assert.equal(app.core.snapshot().inbox.unreadCount, 1);

  await publish(again.url, ana.token, 'After the restart');
  const snapshot = await waitForSnapshot(app.core, (s) => s.inbox.unreadCount === 2, 'unread 2');
  assert.deepEqual(snapshot.inbox.items.map(titleOf), ['After the restart', 'Before the restart']);
});

test('a network drop: 5 posts published meanwhile arrive as ONE summary, unread 5 more, no duplicates', async () => {
  const server = await startServer();
  cleanups.push(async () => {
    await server.stop();
    await server.cleanup();
  });
  const proxy = await startTcpProxy(server.port);
  cleanups.push(() => proxy.close());
  // Post links must point where the app signed in; here that is the relay.
  const ana = await signUp(server.url, 'ana');
  const ben = await signUp(server.url, 'ben');
  await subscribe(server.url, ben.token);
  const app = await signedInCore(defer, proxy.url, ben);

  await publish(server.url, ana.token, 'Seen live');
  await waitFor(() => (app.notifications.length === 1 ? true : undefined), 'the live notification');

  await proxy.cut();
  await waitForSnapshot(app.core, (s) => s.status.state === 'offline', 'offline after the drop');
  for (let index = 1; index <= 5; index += 1)
    await publish(server.url, ana.token, `Missed ${index}`);

  await proxy.restore();
  app.core.wake(); // the shell's "network is back" signal
  await waitForSnapshot(
    app.core,
    (s) => s.status.state === 'online' && s.inbox.unreadCount === 6,
    'online and caught up',
  );
  await waitFor(() => (app.notifications.length === 2 ? true : undefined), 'the summary');
  await settle(ALERT_RULES.gatherMaxMs + 750);
  assert.equal(app.notifications.length, 2);
  assert.equal(app.notifications[1]?.notification.title, 'While you were away');
  assert.equal(app.notifications[1]?.notification.body, '5 new posts');
  const ids = app.core.snapshot().inbox.items.map((item) => item.id);
  assert.equal(ids.length, 6);
  assert.equal(new Set(ids).size, 6);
});

test('a token revoked on the server signs the app out and removes it from the keychain', async () => {
  const { server, ben } = await startBlog(defer);
  const app = await signedInCore(defer, server.url, ben);
  const account = credentialAccount(server.url, 'ben');
  const token = app.tokens.get(account);
  assert.ok(token);

  await logout(server.url, token);
  const snapshot = await waitForSnapshot(
    app.core,
    (s) => s.status.state === 'signed-out',
    'signed-out',
  );
  assert.match(
    snapshot.status.state === 'signed-out' ? (snapshot.status.reason ?? '') : '',
    /Sign in again/,
  );
  await waitFor(
    () => (app.tokens.has(account) ? undefined : true),
    'the token to leave the keychain',
  );
  assert.equal(snapshot.account, null);
  assert.equal(app.badges.at(-1)?.tooltip, 'Tidings: signed out');
});

test('two devices of one user: mark all read on one, and the other reaches 0 within a second', async () => {
  const { server, ana, ben } = await startBlog(defer);
  const laptop = await signedInCore(defer, server.url, ben);
  const desktop = await signedInCore(defer, server.url, ben);
  for (const title of ['One', 'Two', 'Three']) await publish(server.url, ana.token, title);
  await waitForSnapshot(laptop.core, (s) => s.inbox.unreadCount === 3, 'unread 3 on the laptop');
  await waitForSnapshot(desktop.core, (s) => s.inbox.unreadCount === 3, 'unread 3 on the desktop');

  assert.deepEqual(await laptop.core.markAllRead(), { ok: true });
  assert.equal(laptop.core.snapshot().inbox.unreadCount, 0);
  const converged = await waitForSnapshot(
    desktop.core,
    (s) => s.inbox.unreadCount === 0 && s.inbox.items.every((item) => item.read),
    'the desktop to reach 0',
    1_000,
  );
  assert.equal(converged.inbox.items.length, 3);

  await publish(server.url, ana.token, 'Four');
  await waitForSnapshot(
    desktop.core,
    (s) => s.inbox.unreadCount === 1,
    'a new item stays unread after the mark-all',
  );
  const four = desktop.core.snapshot().inbox.items[0];
  assert.equal(four && titleOf(four), 'Four');
  assert.deepEqual(await desktop.core.markRead([four?.id ?? '']), { ok: true });
  await waitForSnapshot(
    laptop.core,
    (s) => s.inbox.unreadCount === 0 && s.inbox.items[0]?.read === true,
    'the laptop to follow',
  );
});

test('the app restarts: the saved sign-in reconnects without a password, and older pages load on demand', async () => {
  const { server, ana, ben } = await startBlog(defer);
  const first = await signedInCore(defer, server.url, ben);
  for (let index = 1; index <= 55; index += 1)
    await publish(server.url, ana.token, `Post ${index}`);
  await waitForSnapshot(first.core, (s) => s.inbox.unreadCount === 55, 'unread 55');
  await first.core.stop();

  const restarted = await createCoreUnderTest({
    tokens: first.tokens,
    settingsDir: first.settingsFile.replace(/\/settings\.json$/, ''),
  });
  cleanups.push(() => restarted.core.stop());
  await restarted.core.start();
  const snapshot = await waitForSnapshot(
    restarted.core,
    (s) => s.status.state === 'online',
    'online from the saved token',
  );
  assert.deepEqual(snapshot.account, { serverUrl: server.url, username: 'ben' });
  assert.equal(snapshot.inbox.unreadCount, 55);
  assert.equal(snapshot.inbox.items.length, 50);
  assert.equal(snapshot.inbox.hasMore, true);
  assert.equal(restarted.notifications.length, 0, 'old items are not announced again on start');

  assert.deepEqual(await restarted.core.loadOlder(), { ok: true });
  const paged = restarted.core.snapshot().inbox;
  assert.equal(paged.items.length, 55);
  assert.equal(paged.hasMore, false);
  const oldest = paged.items.at(-1);
  assert.equal(oldest && titleOf(oldest), 'Post 1');
  assert.equal(new Set(paged.items.map((item) => item.id)).size, 55);
});

test('a server that speaks another protocol version is reported as incompatible, not retried', async () => {
  const http = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ok: true,
          service: 'tidings',
          version: '99.0.0',
          protocolVersion: PROTOCOL_VERSION + 1,
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  const io = new SocketServer<Record<string, never>, ServerToClientEvents>(http);
  io.on('connection', (socket) => {
    socket.emit('sync', {
      items: [],
      unreadCount: 0,
      upToSeq: 0,
      truncated: false,
      protocolVersion: PROTOCOL_VERSION + 1,
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  cleanups.push(() => new Promise((resolve) => io.close(() => resolve(undefined))));
  const url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;

  const app = await createCoreUnderTest();
  cleanups.push(() => app.dispose());
  const check = await app.core.checkServer(url);
  assert.equal(check.ok ? '' : check.code, 'server_incompatible');

  // An app that was signed in before the server was upgraded.
  app.tokens.set(credentialAccount(url, 'ben'), 'a-saved-token');
  await writeFile(
    app.settingsFile,
    JSON.stringify({
      ...defaultSettings(),
      serverUrl: url,
      username: 'ben',
      accounts: [{ serverUrl: url, username: 'ben' }],
    }),
  );
  await app.core.start();
  const snapshot = await waitForSnapshot(
    app.core,
    (s) => s.status.state === 'server-incompatible',
    'server-incompatible',
  );
  assert.match(
    snapshot.status.state === 'server-incompatible' ? snapshot.status.message : '',
    /protocol/,
  );
  await settle(1_500);
  assert.equal(app.core.snapshot().status.state, 'server-incompatible', 'no retry loop');
});

test('a busy server that says when to come back is honoured instead of the backoff', async () => {
  const http = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ok: true,
          service: 'tidings',
          version: '0',
          protocolVersion: PROTOCOL_VERSION,
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  const io = new SocketServer<Record<string, never>, ServerToClientEvents>(http);
  let handshakes = 0;
  io.use((_socket, next) => {
    handshakes += 1;
    const data = { code: 'server_busy', message: 'busy', retryAfterMs: 7_321 };
    next(Object.assign(new Error('The server is catching up many clients.'), { data }));
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  cleanups.push(() => new Promise((resolve) => io.close(() => resolve(undefined))));
  const url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;

  const clock = createFakeClock(Date.now());
  const app = await createCoreUnderTest({ clock });
  cleanups.push(() => app.dispose());
  app.tokens.set(credentialAccount(url, 'ben'), 'a-saved-token');
  await writeFile(
    app.settingsFile,
    JSON.stringify({
      ...defaultSettings(),
      serverUrl: url,
      username: 'ben',
      accounts: [{ serverUrl: url, username: 'ben' }],
    }),
  );
  await app.core.start();
  const offline = await waitForSnapshot(app.core, (s) => s.status.state === 'offline', 'offline');
  assert.equal(
    offline.status.state === 'offline' ? offline.status.retryAt - clock.now() : -1,
    7_321,
    "the server's retry-after, not the core's own backoff",
  );
  assert.equal(handshakes, 1);
});

test('retries back off exponentially while the server is down, and start over once it is back', async () => {
  const { server, ben } = await startBlog(defer);
  const clock = createFakeClock(Date.now());
  const app = await signedInCore(defer, server.url, ben, { clock });

  const nextDelay = async (what: string): Promise<number> => {
    const snapshot = await waitForSnapshot(
      app.core,
      (s) => s.status.state === 'offline',
      what,
      15_000,
    );
    return snapshot.status.state === 'offline' ? snapshot.status.retryAt - clock.now() : -1;
  };
  const retryNow = (delay: number): void => {
    clock.advance(delay);
    assert.equal(app.core.snapshot().status.state, 'connecting');
  };

  await server.stop();
  const delays = [await nextDelay('offline after the stop')];
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    retryNow(delays.at(-1) ?? 0);
    delays.push(await nextDelay(`offline after failed attempt ${attempt}`));
  }
  // The first retry after the drop comes within 0.5 to 5 s (spread out for storms); attempt n
  // after it waits between half and all of 1 s × 2ⁿ.
  delays.forEach((delay, attempt) => {
    const [least, most] = attempt === 0 ? [500, 5_000] : [500 * 2 ** attempt, 1_000 * 2 ** attempt];
    assert.ok(delay >= least && delay <= most, `attempt ${attempt} waited ${delay} ms`);
  });

  const again = await startServer({ dataDir: server.dataDir, port: server.port });
  cleanups.push(() => again.stop());
  retryNow(delays.at(-1) ?? 0);
  await waitForSnapshot(
    app.core,
    (s) => s.status.state === 'online',
    'online after the restart',
    15_000,
  );

  await again.stop();
  const afterSuccess = await nextDelay('offline after the second stop');
  assert.ok(
    afterSuccess >= 500 && afterSuccess <= 5_000,
    `the backoff was reset: ${afterSuccess} ms`,
  );
});

test("after a server restart, the connection's first retry follows its random source over 0.5 to 5 s, not within 1 s", async () => {
  const { server, ben } = await startBlog(defer);
  const connect = async (roll: number) => {
    const clock = createFakeClock(Date.now());
    const statuses: ConnectionStatus[] = [];
    const connection = createConnection(
      {
        serverUrl: server.url,
        token: ben.token,
        highestSeq: () => 0,
        clock,
        random: () => roll,
        log: () => undefined,
      },
      {
        status: (status) => void statuses.push(status),
        sync: () => undefined,
        newItem: () => undefined,
        unreadCount: () => undefined,
        remoteRead: () => undefined,
        unauthorized: () => undefined,
      },
    );
    cleanups.push(() => Promise.resolve(connection.close()));
    connection.open();
    await waitFor(() => statuses.find((s) => s.state === 'online'), `online (roll ${roll})`);
    return { clock, statuses };
  };
  const early = await connect(0);
  const late = await connect(0.999_999);

  await server.stop();
  const firstRetry = async ({ clock, statuses }: Awaited<ReturnType<typeof connect>>) => {
    const offline = await waitFor(
      () => statuses.find((s) => s.state === 'offline'),
      'offline after the stop',
    );
    return offline.state === 'offline' ? offline.retryAt - clock.now() : -1;
  };
  assert.equal(await firstRetry(early), 500);
  assert.equal(await firstRetry(late), 5_000);
});
