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
import { copyFile, mkdir, mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  API,
  titleOf,
  type HttpErrorBody,
  type NotificationItem,
  type Post,
  type PostListResponse,
} from '../../contract/wire.js';
import {
  BACKUP_FILE_NAME,
  DATA_FILE_NAME,
  JOURNAL_FILE_NAME,
  JOURNAL_IDLE_CLOSE_MS,
} from '../../server/store/lowdb/index.js';
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
  // The last partial chunk may have left some room: use it up in ever smaller pieces.
  for (const size of [4096, 256, 16, 1]) {
    for (;;) {
      try {
        await writeFile(path, Buffer.alloc(size, 1), { flag: 'a' });
      } catch {
        break;
      }
    }
  }
  return path;
}

/**
 * Remounts the tmpfs read-only. The kernel refuses ("busy") while a file on it is open for
 * writing: the server's journal is, until a second after its last append (JOURNAL_IDLE_CLOSE_MS),
 * so this waits for that, and fails saying so if the server never lets go.
 */
async function remountReadOnly(mountPoint: string): Promise<void> {
  const giveUpAt = Date.now() + 20 * JOURNAL_IDLE_CLOSE_MS;
  for (;;) {
    try {
      execFileSync('mount', ['-o', 'remount,ro', mountPoint], { stdio: 'pipe' });
      return;
    } catch (error) {
      const busy = /busy/.test(String((error as { stderr?: unknown }).stderr));
      if (!busy || Date.now() > giveUpAt) {
        throw new Error(
          busy
            ? `the server still holds a file open for writing on ${mountPoint} long after its last write`
            : `cannot remount ${mountPoint} read-only: ${String(error)}`,
          { cause: error },
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
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
  const acknowledged: string[] = [];
  const refused: string[] = [];

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

  /**
   * Publishes until the disk refuses. A full disk may still take a few small journal lines (the
   * last page of the file has room); each of those really was stored and is acknowledged.
   */
  async function expectRefusedAndNothingPushed(what: string): Promise<void> {
    const pushedBefore = events.length;
    for (let attempt = 1; attempt <= 200; attempt += 1) {
      const before = await postCount(server.url);
      const title = `${what}, attempt ${attempt}`;
      const result = await request<HttpErrorBody & Post>(server.url, 'POST', API.posts, {
        token: ana.token,
        json: { title, body: 'Will the disk take it?' },
      });
      if (result.status === 201) {
        acknowledged.push(title);
        continue;
      }
      refused.push(title);
      assert.equal(result.status, 503, `${what}: publishing is refused`);
      assert.equal(result.body.error.code, 'storage_unavailable');
      assert.match(result.body.error.message, /could not save/);
      await roundTrip(socket);
      const pushed = events
        .slice(pushedBefore)
        .filter((event) => event.name === 'notification:new')
        .map((event) => titleOf(event.payload as NotificationItem));
      assert.deepEqual(
        pushed,
        acknowledged.filter((t) => t.startsWith(what)),
        `${what}: only what was stored was pushed`,
      );
      assert.equal(await postCount(server.url), before, `${what}: the refused post is not there`);
      assert.match(
        server.output(),
        new RegExp(`could not write ${server.dataDir}`),
        `${what}: the log says why`,
      );
      return;
    }
    assert.fail(`${what}: 200 posts and the disk never refused one`);
  }

  async function expectWorking(what: string): Promise<void> {
    const arrived = nextEvent(socket, 'notification:new');
    const post = await publish(server.url, ana.token, `Working again: ${what}`);
    const item = await arrived;
    assert.equal(
      item.type === 'new_post' && item.post.id,
      post.id,
      `${what}: the reader hears of it`,
    );
  }

  it('a full disk refuses writes clearly, pushes nothing, and recovers when space returns', async () => {
    const filler = await fillDisk(mountPoint);
    await expectRefusedAndNothingPushed('disk full');
    await rm(filler);
    await expectWorking('space returned');
  });

  it('a read-only disk refuses writes clearly, pushes nothing, and recovers when writable', async () => {
    await remountReadOnly(mountPoint);
    try {
      await expectRefusedAndNothingPushed('read-only');
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
    }
    await expectWorking('writable again');
    await like(server.url, ben.token, firstPostId);
  });

  it('after a restart the data holds exactly what was acknowledged', async () => {
    const titles = async (): Promise<string[]> =>
      (await request<PostListResponse>(server.url, 'GET', API.posts)).body.items
        .map((post) => post.title)
        .sort();
    const expected = await titles();
    for (const title of acknowledged) assert.ok(expected.includes(title), title);
    for (const title of refused) assert.ok(!expected.includes(title), title);
    await server.stop();
    server = await startServer({ dataDir: server.dataDir });
    assert.deepEqual(await titles(), expected);
  });
});

describe('a bad data file at start', () => {
  const cases: [string, string, (good: string) => string, RegExp][] = [
    [
      'truncated snapshot',
      DATA_FILE_NAME,
      (good) => good.slice(0, good.length / 2),
      /not valid JSON/,
    ],
    ['empty snapshot', DATA_FILE_NAME, () => '', /empty|not valid JSON/],
    ['garbled snapshot', DATA_FILE_NAME, (good) => good.replace(/"users"/, '"usrs"'), /./],
    ['a snapshot not ours', DATA_FILE_NAME, () => '{"hello":"world"}', /./],
    ['a journal line that is not JSON', JOURNAL_FILE_NAME, (good) => `not json\n${good}`, /./],
    [
      'a journal line of the wrong shape',
      JOURNAL_FILE_NAME,
      (good) => `${good}{"commit":"x"}\n`,
      /./,
    ],
  ];

  for (const [name, fileName, damage, problem] of cases) {
    it(`${name}: the server refuses to start, names the file and the problem, and leaves it as it was`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'tidings-corrupt-'));
      try {
        const first = await startServer({ dataDir });
        const ana = await signUp(first.url, 'ana');
        await publish(first.url, ana.token, 'Worth keeping');
        await first.stop();
        // A clean start keeps this version as the last-good copy; a crash then leaves a journal.
        const second = await startServer({ dataDir });
        await publish(second.url, ana.token, 'Only in the journal');
        await second.kill9();
        const path = join(dataDir, fileName);
        const damaged = damage(await readFile(path, 'utf8'));
        await writeFile(path, damaged);
        const snapshotBefore = await readFile(join(dataDir, DATA_FILE_NAME), 'utf8');
        const journalBefore = await readFile(join(dataDir, JOURNAL_FILE_NAME), 'utf8');

        const refused = await runCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir]);
        assert.notEqual(refused.code, 0, 'it does not start');
        assert.notEqual(refused.code, null, 'it exits by itself instead of serving');
        const said = refused.stdout + refused.stderr;
        assert.ok(said.includes(path), `it names the file: ${said}`);
        assert.match(said, problem);
        assert.ok(!/\n\s+at /.test(said), 'no stack trace');
        assert.equal(
          await readFile(join(dataDir, DATA_FILE_NAME), 'utf8'),
          snapshotBefore,
          'snapshot untouched',
        );
        assert.equal(
          await readFile(join(dataDir, JOURNAL_FILE_NAME), 'utf8'),
          journalBefore,
          'journal untouched',
        );

        // The restores in docs/RELIABILITY.md: keep the broken file; a bad snapshot is replaced by
        // the last-good copy, a bad journal is set aside (losing what only it held).
        await rename(path, `${path}.broken`);
        if (fileName === DATA_FILE_NAME) await copyFile(join(dataDir, BACKUP_FILE_NAME), path);
        const restored = await startServer({ dataDir });
        try {
          const posts = await request<PostListResponse>(restored.url, 'GET', API.posts);
          const titles = posts.body.items.map((post) => post.title);
          assert.ok(titles.includes('Worth keeping'), `restored: ${JSON.stringify(titles)}`);
          if (fileName === DATA_FILE_NAME) {
            assert.ok(titles.includes('Only in the journal'), 'the journal applies on the backup');
          }
        } finally {
          await restored.stop();
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});
