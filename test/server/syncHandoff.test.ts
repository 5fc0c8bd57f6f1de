/**
 * The handoff between a socket's catch-up (`sync`) and the live pushes of its rooms is exact:
 * every item reaches a connecting socket once, whatever the timing (issue 14: a 16-core run
 * handed 11 items to one socket twice, in `sync` and again live).
 *
 * The interleaving is forced, not hoped for: the server runs in this process with a seam that
 * holds a connecting socket after it joined its rooms and before its catch-up is read, and a post
 * is published in that gap. A real store in a temp dir, real HTTP, a real socket.io client.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NotificationItem, SyncPayload } from '../../contract/wire.js';
import { parseCommandLine } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { serve, type RunningTidings } from '../../server/serve.js';
import {
  postOf,
  publish,
  rememberSetupCode,
  signUp,
  subscribe,
  unreadCount,
  type TestUser,
} from '../fixtures/api.js';
import { createSocket, nextEvent, roundTrip, type TidingsSocket } from '../fixtures/sockets.js';

/** A gate the seam waits at, for one user, once armed. */
function catchUpGate() {
  let armedFor: string | undefined;
  let reached: () => void = () => undefined;
  let release: () => void = () => undefined;
  return {
    arm(userId: string): { reached: Promise<void>; release: () => void } {
      armedFor = userId;
      const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      this.held = released;
      return { reached: reachedPromise, release: () => release() };
    },
    held: Promise.resolve(),
    async beforeCatchUp(userId: string): Promise<void> {
      if (userId !== armedFor) return;
      armedFor = undefined;
      reached();
      await this.held;
    },
  };
}

const SETUP_CODE = 'handoff-setup-code';

describe('the handoff from sync to live pushes', () => {
  let dataDir: string;
  let server: RunningTidings;
  let ana: TestUser; // author
  let ben: TestUser; // subscriber
  const gate = catchUpGate();
  const sockets: TidingsSocket[] = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tidings-handoff-'));
    const command = parseCommandLine(
      ['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir],
      { TIDINGS_RATE_LIMITS: 'off', TIDINGS_SETUP_CODE: SETUP_CODE },
    );
    assert.equal(command.kind, 'serve');
    if (command.kind !== 'serve') return;
    server = await serve(
      command.config,
      createLogger(() => undefined),
      {
        beforeCatchUp: (userId) => gate.beforeCatchUp(userId),
      },
    );
    rememberSetupCode(server.url, SETUP_CODE); // so ana, the first account, is the admin
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
    await subscribe(server.url, ben.token);
  });

  after(async () => {
    for (const socket of sockets) socket.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Connects Ben; `during` runs while his socket is in its rooms but its catch-up is not read. */
  async function connectHeld(since: number | undefined, during: () => Promise<void>) {
    const held = gate.arm(ben.user.id);
    const socket = createSocket(
      server.url,
      since === undefined ? { token: ben.token } : { token: ben.token, since },
    );
    sockets.push(socket);
    const live: NotificationItem[] = [];
    const afterSync: NotificationItem[] = [];
    let sync: SyncPayload | undefined;
    socket.on('notification:new', (item) => (sync ? afterSync : live).push(item));
    const synced = nextEvent(socket, 'sync').then((payload) => (sync = payload));
    socket.connect();
    await held.reached;
    await during();
    held.release();
    await synced;
    return { socket, live, afterSync, sync: await synced };
  }

  function timesHanded(id: string, ...lists: NotificationItem[][]): number {
    return lists.flat().filter((item) => item.id === id).length;
  }

  it('a post published between joining the rooms and reading the catch-up arrives once', async () => {
    let postId = '';
    const { socket, live, afterSync, sync } = await connectHeld(undefined, async () => {
      postId = (await publish(server.url, ana.token, 'In the gap')).id;
    });
    await roundTrip(socket);
    const item = [...sync.items, ...live, ...afterSync].find((i) => postOf(i).id === postId);
    assert.ok(item, 'the post published in the gap reached the socket');
    assert.equal(
      timesHanded(item.id, sync.items, live, afterSync),
      1,
      'handed once, not in sync and again live',
    );
    // Nothing of the catch-up overtakes `sync`: a client can trust its count from there.
    assert.deepEqual(live, [], 'no live item before sync');
    socket.close();
  });

  it('the same on a reconnect with `since`, and a post after sync arrives live, once', async () => {
    const since = await newestSeqSeen();
    let gapPostId = '';
    const { socket, live, afterSync, sync } = await connectHeld(since, async () => {
      gapPostId = (await publish(server.url, ana.token, 'In the gap again')).id;
    });
    const next = nextEvent(socket, 'notification:new');
    const later = await publish(server.url, ana.token, 'After sync');
    assert.equal(postOf(await next).id, later.id);
    await roundTrip(socket);
    const all = [...sync.items, ...live, ...afterSync];
    const gapItem = all.find((i) => postOf(i).id === gapPostId);
    assert.ok(gapItem);
    assert.equal(timesHanded(gapItem.id, sync.items, live, afterSync), 1);
    assert.equal(all.filter((i) => postOf(i).id === later.id).length, 1);
    assert.equal(
      sync.unreadCount + afterSync.length,
      await unreadCount(server.url, ben.token),
      'the count from sync plus one per live item is the server count',
    );
    socket.close();
  });

  /** What a client that was here before would send as `since`. */
  async function newestSeqSeen(): Promise<number> {
    const { socket, sync } = await connectPlain();
    socket.close();
    return Math.max(0, ...sync.items.map((item) => item.seq));
  }

  async function connectPlain() {
    const socket = createSocket(server.url, { token: ben.token });
    sockets.push(socket);
    const synced = nextEvent(socket, 'sync');
    socket.connect();
    return { socket, sync: await synced };
  }
});
