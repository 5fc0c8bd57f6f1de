/**
 * The disk fails under a running server: it fills up, then turns read-only. Each write is refused
 * with a clear `storage_unavailable`, nothing unsaved is pushed to anyone, and the server carries on
 * by itself once the disk works again. And a data file that is corrupt or truncated at start is
 * refused, by name, untouched; the kept last-good copy restores it (docs/STORAGE.md).
 *
 * The disk is real: a 2 MB tmpfs mounted for the test (this needs root, as in CI; without it the
 * test fails saying so). Writing into a full tmpfs gives a real ENOSPC, remounting it read-only a
 * real EROFS, which chmod could not do for root.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API, type HttpErrorBody, type PostListResponse } from '../../contract/wire.js';
import { BACKUP_FILE_NAME, DATA_FILE_NAME } from '../../server/store/lowdb/index.js';
import { like, publish, request, signUp, subscribe, type TestUser } from '../fixtures/api.js';
import { runCli, startServer, type RunningServer } from '../fixtures/server.js';
import {
  connectSocket,
  nextEvent,
  recordEvents,
  roundTrip,
  type RecordedEvent,
  type TidingsSocket,
} from '../fixtures/sockets.js';

function mountTmpfs(mountPoint: string): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `this test needs to mount a small tmpfs (run it as root, as CI does): ${String(error)}`,
      { cause: error },
    );
  }
}

/** Writes until the file system says ENOSPC; returns the filler's path. */
async function fillDisk(dir: string): Promise<string> {
  const path = join(dir, 'filler');
  const handle = await open(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let written = 0; written < 64 * 1024 * 1024; written += chunk.length) {
      await handle.write(chunk);
    }
    throw new Error('the tmpfs never filled up');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  // The last partial chunk may have left a few bytes: use them up one by one.
  for (;;) {
    try {
      await writeFile(path, 'x', { flag: 'a' });
    } catch {
      return path;
    }
  }
}

async function postCount(url: string): Promise<number> {
  return (await request<PostListResponse>(url, 'GET', API.posts)).body.total;
}

describe('the disk fails under a running server', () => {
  let mountPoint: string;
  let server: RunningServer;
  let ana: TestUser;
  let ben: TestUser;
  let socket: TidingsSocket;
  let events: RecordedEvent[];
  let firstPostId: string;

  before(async () => {
    mountPoint = await mkdtemp(join(tmpdir(), 'tidings-disk-'));
    mountTmpfs(mountPoint);
    const dataDir = join(mountPoint, 'data');
    await mkdir(dataDir);
    server = await startServer({ dataDir });
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
    await subscribe(server.url, ben.token);
    firstPostId = (await publish(server.url, ana.token, 'Before the trouble')).id;
    ({ socket } = await connectSocket(server.url, ben.token));
    events = recordEvents(socket);
  });

  after(async () => {
    socket?.close();
    await server?.stop();
    execFileSync('umount', ['-l', mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  });

  async function expectRefusedAndNothingPushed(what: string): Promise<void> {
    const before = await postCount(server.url);
    const pushedBefore = events.length;
    const refused = await request<HttpErrorBody>(server.url, 'POST', API.posts, {
      token: ana.token,
      json: { title: 'Never saved', body: 'The disk said no.' },
    });
    assert.equal(refused.status, 503, `${what}: publishing is refused`);
    assert.equal(refused.body.error.code, 'storage_unavailable');
    assert.match(refused.body.error.message, /could not save/);
    const likeRefused = await request<HttpErrorBody>(server.url, 'POST', API.like(firstPostId), {
      token: ben.token,
    });
    assert.equal(likeRefused.body.error.code, 'storage_unavailable', `${what}: liking too`);
    await roundTrip(socket);
    assert.deepEqual(events.slice(pushedBefore), [], `${what}: nothing was pushed`);
    assert.equal(await postCount(server.url), before, `${what}: nothing changed`);
    assert.match(server.output(), /could not write .*tidings\.json/, `${what}: the log says why`);
  }

  async function expectWorking(what: string): Promise<void> {
    const arrived = nextEvent(socket, 'notification:new');
    const post = await publish(server.url, ana.token, `Working again: ${what}`);
    assert.equal((await arrived).post.id, post.id, `${what}: the reader hears of it`);
  }

  it('a full disk refuses writes clearly, pushes nothing, and recovers when space returns', async () => {
    const filler = await fillDisk(mountPoint);
    await expectRefusedAndNothingPushed('disk full');
    await rm(filler);
    await expectWorking('space returned');
  });

  it('a read-only disk refuses writes clearly, pushes nothing, and recovers when writable', async () => {
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    try {
      await expectRefusedAndNothingPushed('read-only');
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
    }
    await expectWorking('writable again');
    await like(server.url, ben.token, firstPostId);
  });

  it('after a restart the file holds exactly what was acknowledged', async () => {
    const titles = async (): Promise<string[]> =>
      (await request<PostListResponse>(server.url, 'GET', API.posts)).body.items
        .map((post) => post.title)
        .sort();
    const expected = await titles();
    assert.ok(!expected.includes('Never saved'));
    await server.stop();
    server = await startServer({ dataDir: server.dataDir });
    assert.deepEqual(await titles(), expected);
  });
});

describe('a bad data file at start', () => {
  const cases: [string, (good: string) => string, RegExp][] = [
    ['truncated', (good) => good.slice(0, Math.floor(good.length / 2)), /not valid JSON/],
    ['empty', () => '', /empty|not valid JSON/],
    ['garbled', (good) => good.replace(/"users"/, '"usrs"'), /tidings\.json/],
    ['not ours', () => '{"hello":"world"}', /tidings\.json/],
  ];

  for (const [name, damage, problem] of cases) {
    it(`${name}: the server refuses to start, names the file and the problem, and leaves it as it was`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'tidings-corrupt-'));
      try {
        const first = await startServer({ dataDir });
        const ana = await signUp(first.url, 'ana');
        await publish(first.url, ana.token, 'Worth keeping');
        await first.stop();
        // A second clean start keeps this version as the last-good copy.
        const second = await startServer({ dataDir });
        await second.stop();
        const path = join(dataDir, DATA_FILE_NAME);
        const damaged = damage(await readFile(path, 'utf8'));
        await writeFile(path, damaged);

        const refused = await runCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir]);
        assert.notEqual(refused.code, 0, 'it does not start');
        assert.notEqual(refused.code, null, 'it exits by itself instead of serving');
        const said = refused.stdout + refused.stderr;
        assert.ok(said.includes(path), `it names the file: ${said}`);
        assert.match(said, problem);
        assert.ok(!/\n\s+at /.test(said), 'no stack trace');
        assert.equal(await readFile(path, 'utf8'), damaged, 'the file is untouched');

        // The restore in docs/STORAGE.md: keep the broken file, put the last-good copy back.
        await copyFile(path, `${path}.broken`);
        await copyFile(join(dataDir, BACKUP_FILE_NAME), path);
        const restored = await startServer({ dataDir });
        try {
          const posts = await request<PostListResponse>(restored.url, 'GET', API.posts);
          assert.deepEqual(
            posts.body.items.map((post) => post.title),
            ['Worth keeping'],
          );
        } finally {
          await restored.stop();
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});
