/**
 * Folding the journal in a worker thread, when things go wrong. A process is killed with
 * SIGKILL while its fold is held at each step (TIDINGS_TEST_FOLD_FAULT, the seam in
 * snapshotFold.ts, so the moment is forced, not timed): it loses no acknowledged post and opens
 * to the same state every time. A fold that fails (its temp file cannot be written; its worker
 * dies) leaves the store serving, the files valid and the failure in the store's report. A clean
 * stop needs no worker: it writes its snapshot from memory.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  createLowdbStore,
  DATA_FILE_NAME,
  type LowdbStore,
  type LowdbStoreOptions,
} from '../../server/store/lowdb/index.js';
import { FOLD_STAGES } from '../../server/store/lowdb/snapshotFold.js';
import { addUser, makeDataDir, publish } from './tempStore.js';

const CHILD = fileURLToPath(new URL('./foldCrashChild.ts', import.meta.url));
/** Posts the child must acknowledge while its fold is held: the event loop is not waiting on it. */
const COMMITS_DURING_FOLD = 20;

const dirs: string[] = [];
const stores: LowdbStore[] = [];
after(async () => {
  for (const store of stores) await store.close().catch(() => undefined);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function newDir(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
}

async function open(dataDir: string, more: Partial<LowdbStoreOptions> = {}): Promise<LowdbStore> {
  // The worker even for this little data: it is what these stories are about.
  const store = createLowdbStore({ dataDir, foldInWorkerFromBytes: 0, ...more });
  await store.open();
  stores.push(store);
  return store;
}

/** What a user of the data would see: the posts, the reader's inbox, the newest seq. */
async function summary(store: LowdbStore) {
  const posts = (await store.listPosts(0, 10_000)).items.map((post) => post.title);
  const reader = await store.findUserByUsername('reader');
  assert.ok(reader, 'the reader is there');
  const inbox = await store.listInbox(reader.id, { afterSeq: 0, limit: 10_000 });
  return { posts, inbox: inbox.map(({ event }) => event.postTitle), latestSeq: store.latestSeq() };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * Runs the child until its fold is held at `stage` and it has acknowledged COMMITS_DURING_FOLD
 * more posts, then kills it with SIGKILL. Resolves with the titles it acknowledged: every `ack`
 * it printed, including those still in the pipe when it was killed (it commits faster than this
 * process reads).
 */
async function killDuringFold(dataDir: string, stage: string): Promise<string[]> {
  const marker = join(await newDir(), 'held');
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], {
    env: { ...process.env, TIDINGS_TEST_FOLD_FAULT: `hold:${stage}:${marker}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acknowledged: string[] = [];
  let afterHold = -1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (): void => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  };
  try {
    // Read on to the end of the dead child's output, so no acknowledgement goes unseen.
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('ack ')) acknowledged.push(line.slice(4));
      if (afterHold < 0 && (await exists(marker))) afterHold = acknowledged.length;
      if (afterHold >= 0 && acknowledged.length >= afterHold + COMMITS_DURING_FOLD) kill();
    }
    assert.ok(afterHold >= 0, `the fold was held at ${stage} before the child ran out of posts`);
  } finally {
    kill();
    await exited;
  }
  return acknowledged;
}

describe('a fold in the worker', () => {
  for (const stage of FOLD_STAGES) {
    it(`kill -9 with the fold held ${stage}: nothing acknowledged lost, the same state at every open`, async () => {
      const dataDir = await newDir();
      const acknowledged = await killDuringFold(dataDir, stage);
      const left = await readdir(dataDir);
      assert.ok(
        left.some((name) => /^tidings\.journal\.\d+$/.test(name)),
        `a sealed segment was left by the crash (${left.join(', ')})`,
      );

      // Open a copy twice: after the first open folds what the crash left, the second must
      // find exactly the same.
      const copy = await newDir();
      await cp(dataDir, copy, { recursive: true });
      const first = await open(copy);
      const seen = await summary(first);
      for (const title of acknowledged) assert.ok(seen.posts.includes(title), `${title} is there`);
      assert.ok(seen.posts.length <= acknowledged.length + 1, 'at most the one in flight more');
      assert.deepEqual(seen.inbox, [...seen.posts].reverse(), 'the reader has every post once');
      await first.foldsIdle();
      assert.equal(first.foldStats().failed, 0);
      await first.close();
      assert.deepEqual(await summary(await open(copy)), seen, 'the same state after the fold');

      // And the crashed directory itself opens to it too.
      assert.deepEqual(await summary(await open(dataDir)), seen);
    });
  }

  it('a fold that cannot write its snapshot leaves the store serving and says so; the next one works', async () => {
    const dataDir = await newDir();
    const problems: string[] = [];
    const store = await open(dataDir, {
      compactAtBytes: 1,
      onProblem: (message) => problems.push(message),
    });
    // The temp file's name taken by a directory: a real EISDIR from the worker's open().
    const temp = join(dataDir, `.${DATA_FILE_NAME}.tmp`);
    await mkdir(temp);
    const author = await addUser(store, 'author', true);
    const reader = await addUser(store, 'reader');
    await store.subscribe(reader.id);
    for (let i = 0; i < 10; i++) await publish(store, author, `Post ${i}`);
    await store.foldsIdle();
    assert.ok(store.foldStats().failed >= 1, 'the fold failed');
    assert.equal(store.foldStats().completed, 0);
    assert.equal(store.stats().foldsFailed, store.foldStats().failed);
    assert.match(problems[0] ?? '', /could not fold the journal into .*tidings\.json.*EISDIR/);

    await publish(store, author, 'After the failure');
    const copy = await newDir();
    await cp(dataDir, copy, { recursive: true });
    const reopened = await summary(await open(copy));
    assert.equal(reopened.posts.length, 11, 'every post is in the files the failure left');

    await rm(temp, { recursive: true });
    await publish(store, author, 'Once the disk works');
    await store.foldsIdle();
    await publish(store, author, 'And again');
    await store.foldsIdle();
    assert.ok(store.foldStats().completed >= 1, 'a later fold took the failed one over');
    await store.close();
    const names = await readdir(dataDir);
    assert.deepEqual(
      names.filter((name) => name.startsWith('tidings.journal')),
      [],
      'every sealed segment was folded',
    );
    assert.equal((await summary(await open(dataDir))).posts.length, 13);
  });

  it('a worker that dies mid-fold leaves the store serving and the old snapshot valid', async () => {
    const dataDir = await newDir();
    const problems: string[] = [];
    const store = await open(dataDir, {
      compactAtBytes: 1,
      onProblem: (message) => problems.push(message),
    });
    const author = await addUser(store, 'author', true);
    process.env.TIDINGS_TEST_FOLD_FAULT = 'exit:written';
    try {
      const reader = await addUser(store, 'reader');
      await store.subscribe(reader.id);
      await publish(store, author, 'During the crash');
      await store.foldsIdle();
    } finally {
      delete process.env.TIDINGS_TEST_FOLD_FAULT;
    }
    assert.ok(store.foldStats().failed >= 1);
    assert.match(problems.join('\n'), /fold worker stopped with exit code 70/);
    await publish(store, author, 'After the crash');
    await store.close();
    assert.deepEqual(
      (await readdir(dataDir)).filter((name) => name.startsWith('tidings.journal')),
      [],
      "the stop's snapshot took in the segment the dead worker left",
    );
    assert.deepEqual((await summary(await open(dataDir))).posts, [
      'After the crash',
      'During the crash',
    ]);
  });

  it('a clean stop writes its snapshot from memory: no fold worker, so one that would die changes nothing', async () => {
    const dataDir = await newDir();
    const problems: string[] = [];
    const store = await open(dataDir, { onProblem: (message) => problems.push(message) });
    const author = await addUser(store, 'author', true);
    const reader = await addUser(store, 'reader');
    await store.subscribe(reader.id);
    for (let i = 0; i < 3; i++) await publish(store, author, `Post ${i}`);
    const before = await summary(store);
    // Any fold worker started from here on ends before it writes a snapshot.
    process.env.TIDINGS_TEST_FOLD_FAULT = 'exit:folded';
    try {
      await store.close();
    } finally {
      delete process.env.TIDINGS_TEST_FOLD_FAULT;
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(store.foldStats(), { completed: 0, failed: 0, lastMs: 0 }, 'no fold ran');
    assert.deepEqual(
      (await readdir(dataDir)).filter((name) => name.startsWith('tidings.journal')),
      [],
      'the journal was removed once the snapshot held it',
    );
    const snapshot = JSON.parse(await readFile(join(dataDir, DATA_FILE_NAME), 'utf8')) as {
      posts: unknown[];
      commit: number;
    };
    assert.equal(snapshot.posts.length, 3, 'the snapshot alone holds every post');
    assert.ok(snapshot.commit > 0, 'and says which commit it holds');
    assert.deepEqual(await summary(await open(dataDir)), before);
  });
});
