/**
 * The journal: each group commit appends one line to tidings.journal, the snapshot tidings.json is
 * rewritten only at open, at close and when the journal has grown, and opening replays the journal
 * over the snapshot. These stories check that nothing acknowledged is lost without a clean stop,
 * that a torn last line is ignored, that a bad line is refused with both files left alone, and
 * that a crash between a snapshot and the journal's removal applies nothing twice.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constants, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { appendFile, copyFile, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createLowdbStore,
  DATA_FILE_NAME,
  JOURNAL_FILE_NAME,
  JOURNAL_IDLE_CLOSE_MS,
  type LowdbStore,
  type LowdbStoreOptions,
} from '../../server/store/lowdb/index.js';
import { CorruptDataError } from '../../server/store/store.js';
import { addUser, inboxOf, makeDataDir, publish } from './tempStore.js';

const opened: LowdbStore[] = [];
const dirs: string[] = [];
after(async () => {
  for (const store of opened) await store.close().catch(() => undefined);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function open(
  dataDir: string,
  options: Partial<LowdbStoreOptions> = {},
): Promise<LowdbStore> {
  const store = createLowdbStore({ ...options, dataDir });
  await store.open();
  opened.push(store);
  return store;
}

async function newDir(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
}

/** A store with an author, a subscribed reader, two posts and a like, never closed. */
async function storeWithHistory(dataDir: string) {
  const store = await open(dataDir);
  const author = await addUser(store, 'author', true);
  const reader = await addUser(store, 'reader');
  await store.subscribe(reader.id);
  const { post } = await publish(store, author, 'First');
  await publish(store, author, 'Second');
  await store.addLike(post.id, reader.id);
  return { store, author, reader, post };
}

describe('the journal', () => {
  it('a process that dies without closing loses nothing it acknowledged', async () => {
    const dataDir = await newDir();
    const { reader, post, author } = await storeWithHistory(dataDir);
    const snapshot = await readFile(join(dataDir, DATA_FILE_NAME), 'utf8');
    assert.ok(!snapshot.includes('Second'), 'the snapshot was not rewritten per change');
    assert.ok((await stat(join(dataDir, JOURNAL_FILE_NAME))).size > 0);

    // A second store on the same directory sees exactly what a restart after kill -9 would.
    const reopened = await open(dataDir);
    assert.deepEqual(await inboxOf(reopened, reader), ['new_post:First', 'new_post:Second']);
    assert.equal(await reopened.hasLiked(post.id, reader.id), true);
    assert.deepEqual(
      (await reopened.listInbox(author.id, { afterSeq: 0, limit: 10 })).map((e) => e.event.type),
      ['post_liked'],
    );
    // Opening folded the journal into a fresh snapshot (in the fold worker, after open).
    await reopened.foldsIdle();
    assert.ok((await readFile(join(dataDir, DATA_FILE_NAME), 'utf8')).includes('Second'));
    await assert.rejects(stat(join(dataDir, JOURNAL_FILE_NAME)), { code: 'ENOENT' });
  });

  it('a torn last line (a write that never finished) is ignored', async () => {
    const dataDir = await newDir();
    const { reader } = await storeWithHistory(dataDir);
    await appendFile(join(dataDir, JOURNAL_FILE_NAME), '{"commit":99,"changes":[["user",{"id');
    const reopened = await open(dataDir);
    assert.deepEqual(await inboxOf(reopened, reader), ['new_post:First', 'new_post:Second']);
  });

  it('a bad line in the middle is refused, and both files are left as they were', async () => {
    const dataDir = await newDir();
    await storeWithHistory(dataDir);
    const journal = join(dataDir, JOURNAL_FILE_NAME);
    const lines = (await readFile(journal, 'utf8')).split('\n');
    lines[1] = '{"commit":2,"changes":[["like","only one id"]]}';
    await writeFile(journal, lines.join('\n'));
    const before = [await readFile(join(dataDir, DATA_FILE_NAME)), await readFile(journal)];
    await assert.rejects(open(dataDir), (error: Error) => {
      assert.ok(error instanceof CorruptDataError);
      assert.match(error.message, /tidings\.journal.*line 2 has an unexpected shape/);
      return true;
    });
    assert.deepEqual(
      [await readFile(join(dataDir, DATA_FILE_NAME)), await readFile(journal)],
      before,
      'byte-identical',
    );
  });

  it('a bad line in a sealed segment is refused naming that segment', async () => {
    const dataDir = await newDir();
    await storeWithHistory(dataDir);
    const journal = join(dataDir, JOURNAL_FILE_NAME);
    const lines = (await readFile(journal, 'utf8')).split('\n');
    // The second post's event again, with the first's seq: a seq that is not new.
    const first = lines.find((line) => line.includes('"First"'));
    assert.ok(first, 'the journal holds the first post');
    const seq = /"seq":(\d+)/.exec(first)?.[1];
    const second = lines.findIndex((line) => line.includes('"Second"'));
    lines[second] = (lines[second] ?? '').replace(/"seq":\d+/, `"seq":${seq}`);
    const sealed = `${journal}.${lines.length}`; // as a fold that never finished leaves it
    await writeFile(sealed, lines.join('\n'));
    await rm(journal);
    await assert.rejects(open(dataDir), (error: Error) => {
      assert.ok(error instanceof CorruptDataError);
      assert.match(error.message, /tidings\.journal\.\d+.*seq \d+ is not new/);
      return true;
    });
  });

  it('stats().bytes counts the sealed segments an earlier run left', async () => {
    const dataDir = await newDir();
    await storeWithHistory(dataDir);
    const journal = join(dataDir, JOURNAL_FILE_NAME);
    // As a run that sealed its journal for a fold and stopped before the fold finished leaves it.
    await rename(journal, `${journal}.1000`);
    const store = await open(dataDir);
    // Synchronously after open: the fold it started cannot have finished without an I/O turn.
    const onDisk = readdirSync(dataDir)
      .filter((name) => name === DATA_FILE_NAME || name.startsWith(JOURNAL_FILE_NAME))
      .reduce((sum, name) => sum + statSync(join(dataDir, name)).size, 0);
    assert.ok(readdirSync(dataDir).includes(`${JOURNAL_FILE_NAME}.1000`), 'still there');
    assert.equal(store.stats().bytes, onDisk);
  });

  it('a crash between writing a snapshot and removing the journal applies nothing twice', async () => {
    const dataDir = await newDir();
    const { store, reader, author } = await storeWithHistory(dataDir);
    const journal = join(dataDir, JOURNAL_FILE_NAME);
    await copyFile(journal, `${journal}.kept`);
    await store.close(); // folds the journal into the snapshot and removes it
    await copyFile(`${journal}.kept`, journal); // as if the removal never happened
    const reopened = await open(dataDir);
    assert.deepEqual(await inboxOf(reopened, reader), ['new_post:First', 'new_post:Second']);
    assert.equal(reopened.stats().events, 3);
    assert.equal(reopened.stats().likes, 1, "the snapshot's likers, read when counted");
    assert.equal((await reopened.listPosts(0, 10)).total, 2);
    assert.equal(await reopened.unreadCount(author.id), 1);
  });

  it('a data directory moved away fails the next commit, and its journal gets nothing', async () => {
    // The journal stays open between appends; this is the path lookup that keeps it honest.
    const dataDir = await newDir();
    const { store, author, reader } = await storeWithHistory(dataDir);
    const movedAway = `${dataDir}.moved`;
    dirs.push(movedAway);
    await rename(dataDir, movedAway);
    const journalBefore = await readFile(join(movedAway, JOURNAL_FILE_NAME), 'utf8');
    try {
      await assert.rejects(publish(store, author, 'Into a lost file'), /ENOENT/);
      assert.equal(
        await readFile(join(movedAway, JOURNAL_FILE_NAME), 'utf8'),
        journalBefore,
        'nothing was appended to the journal that moved away',
      );
    } finally {
      await rename(movedAway, dataDir);
    }
    await publish(store, author, 'Back again');
    const reopened = await open(dataDir);
    assert.deepEqual(await inboxOf(reopened, reader), [
      'new_post:First',
      'new_post:Second',
      'new_post:Back again',
    ]);
  });

  it('durable on power loss: every write to the journal is synced by the kernel', async () => {
    for (const durability of ['power', 'kill9'] as const) {
      const dataDir = await newDir();
      const store = await open(dataDir, { durability });
      await addUser(store, 'author', true);
      const flags = openFlagsOf(join(dataDir, JOURNAL_FILE_NAME));
      assert.ok(flags !== undefined, 'the journal stays open between appends');
      assert.equal(
        (flags & constants.O_DSYNC) !== 0,
        durability === 'power',
        `${durability}: O_DSYNC ${durability === 'power' ? 'set' : 'not set'}`,
      );
      await store.close();
      assert.equal(
        openFlagsOf(join(dataDir, JOURNAL_FILE_NAME)),
        undefined,
        'closed with the store',
      );
    }
  });

  it('an idle journal is closed, so the disk can be remounted read-only; the next append opens it', async () => {
    const dataDir = await newDir();
    const store = await open(dataDir);
    const author = await addUser(store, 'author', true);
    const journal = join(dataDir, JOURNAL_FILE_NAME);
    assert.ok(openFlagsOf(journal) !== undefined, 'open right after an append');
    // A wait for the condition, not a timing check: ten times the idle time before it fails.
    for (const waitUntil = Date.now() + 10 * JOURNAL_IDLE_CLOSE_MS; Date.now() < waitUntil;) {
      if (openFlagsOf(journal) === undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(openFlagsOf(journal), undefined, 'closed once appends stopped');
    await publish(store, author, 'After a pause');
    assert.ok(openFlagsOf(journal) !== undefined, 'opened again by the next append');
    assert.equal((await store.listPosts(0, 10)).total, 1);
  });

  it('a journal as big as the snapshot is folded into it while the store runs', async () => {
    const dataDir = await newDir();
    const store = await open(dataDir, { compactAtBytes: 1 });
    const author = await addUser(store, 'author', true);
    for (let i = 0; i < 20; i++) await publish(store, author, `Post ${i}`);
    // The fold that began meanwhile holds what was journaled when it began; the posts made
    // while it ran went to a fresh journal, which the next one folds.
    await store.foldsIdle();
    await publish(store, author, 'Post 20');
    await store.foldsIdle();
    assert.ok(store.foldStats().completed >= 2, 'folds ran while the store ran');
    const snapshot = await readFile(join(dataDir, DATA_FILE_NAME), 'utf8');
    assert.ok(snapshot.includes('Post 1'), 'the snapshot was rewritten while the store ran');
    assert.ok(store.stats().bytes < snapshot.length * 2.5, 'the journal stays below the snapshot');
    const reopened = await open(dataDir);
    assert.equal((await reopened.listPosts(0, 100)).total, 21);
  });
});

/** The flags this process has `path` open with (Linux's /proc/self/fdinfo), if it has it open. */
function openFlagsOf(path: string): number | undefined {
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // the directory's own descriptor, closed by now
    }
    if (target !== path) continue;
    const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    assert.ok(flags, `no flags in /proc/self/fdinfo/${fd}`);
    return Number.parseInt(flags[1] ?? '', 8);
  }
  return undefined;
}
