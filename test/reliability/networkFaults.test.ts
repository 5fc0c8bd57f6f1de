/**
 * The tray core (createTidingsCore, as the app runs it) against a bad network: a server that
 * accepts connections and then never answers, and a computer whose clock is hours off. Each time
 * it ends up online with exactly the server's inbox: nothing missing, nothing twice. (Plain
 * dropped connections and restarts are in test/core/reconnect.test.ts.)
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { listNotifications, publish } from '../fixtures/api.js';
import {
  createCoreUnderTest,
  startBlog,
  waitFor,
  waitForSnapshot,
  type CoreUnderTest,
} from '../core/coreHarness.js';
import { CONNECT_TIMEOUT_MS } from '../../main/core/connection.js';
import type { Clock } from '../../main/core/ports.js';
import { startBlackHoleRelay } from './blackHoleRelay.js';
import { reportFigure } from './scale.js';

const cleanups: (() => Promise<unknown>)[] = [];
const defer = (cleanup: () => Promise<unknown>): void => void cleanups.push(cleanup);
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** The core's inbox equals ben's inbox on the server, with no id twice. */
async function assertConverged(
  app: CoreUnderTest,
  serverUrl: string,
  token: string,
): Promise<void> {
  const onServer = await listNotifications(serverUrl, token);
  const snapshot = await waitForSnapshot(
    app.core,
    (s) =>
      s.status.state === 'online' &&
      s.inbox.unreadCount === onServer.unreadCount &&
      s.inbox.items.length === onServer.items.length,
    `the core to match the server (${onServer.items.length} items, ${onServer.unreadCount} unread)`,
    15_000,
  );
  const ids = snapshot.inbox.items.map((item) => item.id);
  assert.equal(new Set(ids).size, ids.length, 'no duplicates');
  assert.deepEqual([...ids].sort(), onServer.items.map((item) => item.id).sort());
}

test('a server that accepts but never answers: the core gives up on it, says offline, and catches up once the path is back', async () => {
  const { server, ana, ben } = await startBlog(defer);
  const relay = await startBlackHoleRelay(server.port);
  cleanups.push(() => relay.close());
  const app = await createCoreUnderTest();
  cleanups.push(() => app.dispose());
  assert.deepEqual(
    await app.core.signIn({ serverUrl: relay.url, username: 'ben', password: ben.password }),
    { ok: true },
  );
  await waitForSnapshot(app.core, (s) => s.status.state === 'online', 'online');
  await publish(server.url, ana.token, 'Before the silence');
  await waitFor(() => (app.notifications.length === 1 ? true : undefined), 'the live notification');

  relay.swallow();
  // The shell's "woke from sleep / network changed" signal: a fresh handshake into the silence.
  app.core.wake();
  for (let index = 1; index <= 3; index += 1)
    await publish(server.url, ana.token, `Unheard ${index}`);
  const offline = await waitForSnapshot(
    app.core,
    (s) => s.status.state === 'offline',
    'offline after the connection attempt times out',
    CONNECT_TIMEOUT_MS + 5_000,
  );
  assert.equal(offline.status.state === 'offline' && typeof offline.status.retryAt, 'number');

  relay.restore();
  app.core.wake();
  await assertConverged(app, server.url, ben.token);
  assert.equal(app.core.snapshot().inbox.unreadCount, 4);
});

for (const [name, skewMs] of [
  ['three hours fast', 3 * 3_600_000],
  ['a day slow', -24 * 3_600_000],
] as const) {
  test(`a computer clock ${name}: live items, catch-up and mark-read still converge`, async () => {
    const { server, ana, ben } = await startBlog(defer);
    const skewed: Clock = {
      now: () => Date.now() + skewMs,
      setTimeout: (callback, ms) => {
        const timer = setTimeout(callback, ms);
        return { cancel: () => clearTimeout(timer) };
      },
    };
    const app = await createCoreUnderTest({ clock: skewed });
    cleanups.push(() => app.dispose());
    await publish(server.url, ana.token, 'Waiting when the app starts');
    assert.deepEqual(
      await app.core.signIn({ serverUrl: server.url, username: 'ben', password: ben.password }),
      { ok: true },
    );
    await assertConverged(app, server.url, ben.token);
    await publish(server.url, ana.token, 'Published while running');
    await waitFor(
      () =>
        app.notifications.some((n) => n.notification.body.includes('Published while running'))
          ? true
          : undefined,
      'a notification for the live post despite the skewed clock',
    );
    await assertConverged(app, server.url, ben.token);
    const first = app.core.snapshot().inbox.items[0];
    assert.ok(first);
    await app.core.markRead([first.id]);
    await assertConverged(app, server.url, ben.token);
    assert.equal(app.core.snapshot().inbox.unreadCount, 1);
    reportFigure(`clock skew ${name}`, 'converged');
  });
}

test('a connection that goes silent while the app sits idle is noticed by the heartbeat, and the core catches up', async () => {
  const { server, ana, ben } = await startBlog(defer);
  const relay = await startBlackHoleRelay(server.port);
  cleanups.push(() => relay.close());
  const app = await createCoreUnderTest();
  cleanups.push(() => app.dispose());
  await app.core.signIn({ serverUrl: relay.url, username: 'ben', password: ben.password });
  await waitForSnapshot(app.core, (s) => s.status.state === 'online', 'online');

  relay.swallow(); // no wake this time: nobody tells the app anything
  await publish(server.url, ana.token, 'Sent into the silence');
  // socket.io's heartbeat: the server pings every 25 s and the client waits 20 s more.
  await waitForSnapshot(
    app.core,
    (s) => s.status.state !== 'online',
    'the heartbeat to give up',
    60_000,
  );
  relay.restore();
  await assertConverged(app, server.url, ben.token);
});
