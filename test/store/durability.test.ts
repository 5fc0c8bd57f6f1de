/**
 * What is on disk: it survives a restart, a bad file is refused and left exactly as it was, many
 * changes share one write, and a write that fails changes nothing until the disk works again.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Adapter } from 'lowdb';
import {
  BACKUP_FILE_NAME,
  DATA_FILE_NAME,
  JOURNAL_FILE_NAME,
  createLowdbStore,
} from '../../server/store/lowdb/index.js';
import { CorruptDataError, StorageUnavailableError } from '../../server/store/store.js';
import { DOCUMENT_VERSION } from '../../server/store/lowdb/document.js';
import { JournalFile } from '../../server/store/lowdb/journal.js';
import { addUser, inboxOf, makeDataDir, openTempStore, publish } from './tempStore.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function tempStore(...args: Parameters<typeof openTempStore>) {
  const temp = await openTempStore(...args);
  cleanups.push(() => temp.dispose());
  return temp;
}

async function tempDir(): Promise<string> {
  const dir = await makeDataDir();
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('persistence', () => {
  // That everything acknowledged comes back after a reopen is the conformance suite's
  // (test/store/conformance/lifecycle.ts); these are what the lowdb files add to it.
  it('whatever the store accepted, it opens again (odd but legal values included)', async () => {
    const temp = await tempStore();
    const odd = await temp.store.createUser({
      username: 'Zoë \u2028 "quoted" \ud83d',
      passwordHash: '',
      isAdmin: false,
      isAuthor: true,
    });
    await temp.store.createToken({ userId: odd.id, tokenHash: '', device: '' });
    await temp.store.subscribe('');
    await temp.store.publishPost({ authorId: odd.id, title: '', body: '' });
    const store = await temp.reopen();
    assert.equal((await store.getUser(odd.id))?.username, odd.username);
    assert.equal(await store.unreadCount(''), 1);
  });

  it('close() finishes the writes still waiting for their window', async () => {
    const temp = await tempStore({ commitWindowMs: 50 });
    const pending = addUser(temp.store, 'late');
    await temp.store.close();
    await pending;
    const store = await temp.reopen();
    assert.ok(await store.findUserByUsername('late'));
  });

  it('a missing file gives a fresh, empty store and creates the file', async () => {
    const dataDir = join(await tempDir(), 'not-yet-there');
    const store = createLowdbStore({ dataDir });
    await store.open();
    assert.equal(await store.countUsers(), 0);
    assert.equal(store.latestSeq(), 0);
    assert.equal(await store.isRegistrationOpen(), true);
    await store.close();
    const file = JSON.parse(await readFile(join(dataDir, DATA_FILE_NAME), 'utf8')) as object;
    assert.equal((file as { version: number }).version, DOCUMENT_VERSION);
  });

  it('each successful open keeps a last-good copy that can be restored', async () => {
    const temp = await tempStore();
    await addUser(temp.store, 'saved');
    await temp.reopen();
    const dataFile = join(temp.dataDir, DATA_FILE_NAME);
    const backupFile = join(temp.dataDir, BACKUP_FILE_NAME);
    assert.equal(await readFile(backupFile, 'utf8'), await readFile(dataFile, 'utf8'));

    await temp.store.close();
    await writeFile(dataFile, '{"version":1,"users":[{"id":');
    await assert.rejects(createLowdbStore({ dataDir: temp.dataDir }).open(), CorruptDataError);
    // The restore docs/STORAGE.md describes: copy the backup over the data file.
    await writeFile(dataFile, await readFile(backupFile));
    const restored = await temp.reopen();
    assert.ok(await restored.findUserByUsername('saved'));
  });
});

describe('a bad data file is refused and left untouched', () => {
  const validText = async (): Promise<string> => {
    const temp = await tempStore();
    const author = await addUser(temp.store, 'someone', true);
    await publish(temp.store, author, 'A post');
    await temp.store.close();
    return readFile(join(temp.dataDir, DATA_FILE_NAME), 'utf8');
  };

  const cases: [string, (valid: string) => string, RegExp][] = [
    ['an empty file', () => '', /empty/],
    ['a truncated file', (valid) => valid.slice(0, valid.length / 2), /not valid JSON/],
    ['text that is not JSON', () => 'hello, world', /not valid JSON/],
    [
      'another format version',
      (valid) => valid.replace(`"version":${DOCUMENT_VERSION}`, '"version":7'),
      /version 7/,
    ],
    ['no version at all', () => '[1,2,3]', /unsupported format version/],
    [
      'the wrong shape',
      (valid) => JSON.stringify({ ...(JSON.parse(valid) as object), users: 'nobody' }),
      /unexpected shape/,
    ],
    [
      'events out of order',
      (valid) => {
        const document = JSON.parse(valid) as { events: Record<string, unknown[]> };
        // A second event with the first one's seq, every column kept the same length.
        for (const [name, column] of Object.entries(document.events)) {
          if (Array.isArray(column) && name !== 'strings' && name !== 'extras') {
            column.push(column[0]);
          }
        }
        const { id, idWidth } = document.events as unknown as { id: string; idWidth: number };
        document.events.id = (id + id.slice(0, idWidth)) as unknown as unknown[];
        return JSON.stringify(document);
      },
      /out of order/,
    ],
    ...eventTimeAndIdCases(),
    ...likerCases(),
    // Users and tokens are checked by a quick check first (plainRecords.ts), which must leave
    // every one of these to the schema.
    ...userAndTokenCases(),
    // The rest of a version 3 file is checked by hand too (quickDocument.ts), and likewise.
    [
      'a post with a field of the wrong kind',
      (valid) => {
        const document = JSON.parse(valid) as { posts: Record<string, unknown>[] };
        Object.assign(document.posts[0] ?? {}, { title: 7 });
        return JSON.stringify(document);
      },
      /unexpected shape: .*posts.*title/,
    ],
    [
      'a read state with a cursor below 0',
      (valid) =>
        JSON.stringify({
          ...(JSON.parse(valid) as object),
          readState: { someone: { cursor: -1, above: [] } },
        }),
      /unexpected shape: .*readState/,
    ],
    [
      'a field the format does not have',
      (valid) => JSON.stringify({ ...(JSON.parse(valid) as object), inboxes: {} }),
      /unexpected shape: .*inboxes/,
    ],
    [
      'a subscription span that is not [from, to]',
      (valid) =>
        JSON.stringify({ ...(JSON.parse(valid) as object), subscriptions: { someone: [[1]] } }),
      /unexpected shape: .*subscriptions/,
    ],
    [
      'an event column shorter than the others',
      (valid) => {
        const document = JSON.parse(valid) as { events: Record<string, unknown[]> };
        document.events.actor?.pop();
        return JSON.stringify(document);
      },
      /events\.actor has 0 entries for 1 events/,
    ],
    [
      'an event that refers to a string that is not there',
      (valid) => {
        const document = JSON.parse(valid) as { events: { postTitle: number[] } };
        document.events.postTitle[0] = 99;
        return JSON.stringify(document);
      },
      /events\.postTitle of seq 1 refers to string 99/,
    ],
  ];

  /** Version 3's events: times in epoch ms (the odd one as written in extras), ids in one string. */
  function eventTimeAndIdCases(): [string, (valid: string) => string, RegExp][] {
    type Events = {
      createdAt: unknown[];
      id: unknown;
      idWidth?: unknown;
      seq: number[];
      extras: unknown[];
    };
    const withEvents = (change: (events: Events) => void) => (valid: string) => {
      const document = JSON.parse(valid) as { events: Events };
      change(document.events);
      return JSON.stringify(document);
    };
    return [
      [
        'an event time that is not a number',
        withEvents((events) => (events.createdAt[0] = '2026-11-01T10:00:00.000Z')),
        /unexpected shape: .*events\.createdAt.*integers/,
      ],
      [
        'an event time that is not a whole ms',
        withEvents((events) => (events.createdAt[0] = 1.5)),
        /unexpected shape: .*events\.createdAt.*integers/,
      ],
      [
        'an event time as written that is not its ms',
        withEvents((events) =>
          events.extras.push([events.seq[0], { createdAt: '2001-01-01T00:00:00Z' }]),
        ),
        /events\.extras gives seq 1 the time 2001-01-01T00:00:00Z, not events\.createdAt's/,
      ],
      [
        'an event time as written that is not a timestamp',
        withEvents((events) => events.extras.push([events.seq[0], { createdAt: 'yesterday' }])),
        /unexpected shape: .*events\.extras/,
      ],
      [
        'event ids of the wrong length',
        withEvents((events) => (events.id = `${String(events.id)}x`)),
        /events\.id has 17 characters for 1 events of 16 each/,
      ],
      [
        'event ids in one string without their width',
        withEvents((events) => delete events.idWidth),
        /events\.id is one string but events\.idWidth is missing/,
      ],
      [
        'a width for event ids that are an array',
        withEvents((events) => (events.id = [events.id])),
        /events\.idWidth is given for ids that are an array/,
      ],
    ];
  }

  /** Version 3's likers: positions in `users`. */
  function likerCases(): [string, (valid: string) => string, RegExp][] {
    const withLikers = (likers: unknown[]) => (valid: string) => {
      const document = JSON.parse(valid) as { posts: { id: string }[] };
      const postId = document.posts[0]?.id ?? 'no post';
      return JSON.stringify({ ...document, likes: { [postId]: likers } });
    };
    return [
      [
        'a liker position past the users',
        withLikers([0, 1]),
        /likes of post .* names user position 1, past the 1 users/,
      ],
      [
        'a liker position that is not a whole number',
        withLikers([0.5]),
        /unexpected shape: .*likes/,
      ],
      ['a liker position below 0', withLikers([-1]), /unexpected shape: .*likes/],
    ];
  }

  function userAndTokenCases(): [string, (valid: string) => string, RegExp][] {
    type Document = { users: Record<string, unknown>[]; tokens: Record<string, unknown>[] };
    const withUser = (change: (user: Record<string, unknown>) => void) => (valid: string) => {
      const document = JSON.parse(valid) as Document;
      const user = document.users[0];
      assert.ok(user);
      change(user);
      return JSON.stringify(document);
    };
    const withToken = (fields: Record<string, unknown>) => (valid: string) => {
      const document = JSON.parse(valid) as Document;
      const token = {
        id: 't1',
        userId: document.users[0]?.id,
        tokenHash: 'h',
        device: 'd',
        createdAt: '2026-11-01T10:00:00.000Z',
      };
      document.tokens.push({ ...token, ...fields });
      return JSON.stringify(document);
    };
    return [
      ['a user with a field too many', withUser((u) => (u.nickname = 'x')), /users.*nickname/],
      [
        'a user with a field named like a member of every object',
        withUser((u) => Object.assign(u, { constructor: 'x' })),
        /unexpected shape: .*users.*constructor/,
      ],
      ['a user without a field', withUser((u) => delete u.isAdmin), /unexpected shape: .*users/],
      ['a user with a field of the wrong kind', withUser((u) => (u.isAdmin = 'no')), /users/],
      [
        'a user time that is not a timestamp',
        withUser((u) => (u.createdAt = '2026-11-01 10:00')),
        /unexpected shape: .*users.*createdAt/,
      ],
      [
        'a token last used at a time that is not a timestamp',
        withToken({ lastUsedAt: 'soon' }),
        /unexpected shape: .*tokens.*lastUsedAt/,
      ],
      ['a token without its hash', withToken({ tokenHash: undefined }), /tokens.*tokenHash/],
    ];
  }

  for (const [name, corrupt, problem] of cases) {
    it(`${name}: CorruptDataError names the file and the problem`, async () => {
      const dataDir = await tempDir();
      const file = join(dataDir, DATA_FILE_NAME);
      const bytes = Buffer.from(corrupt(await validText()));
      await writeFile(file, bytes);
      const store = createLowdbStore({ dataDir });
      const error = await store.open().then(
        () => assert.fail('open() accepted a bad file'),
        (rejection: unknown) => rejection,
      );
      assert.ok(error instanceof CorruptDataError, `got ${String(error)}`);
      assert.equal(error.file, file);
      assert.match(error.message, new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.match(error.message, problem);
      assert.deepEqual(await readFile(file), bytes, 'the file is byte-identical');
      await assert.rejects(readFile(join(dataDir, BACKUP_FILE_NAME)), { code: 'ENOENT' });
    });
  }

  it('a data directory that cannot be used is a clear error at open', async () => {
    const parent = await tempDir();
    const notADirectory = join(parent, 'plain-file');
    await writeFile(notADirectory, 'I am a file');
    await assert.rejects(createLowdbStore({ dataDir: notADirectory }).open(), (error: Error) => {
      assert.ok(error instanceof StorageUnavailableError);
      assert.match(error.message, /cannot use data directory .*plain-file/);
      return true;
    });
  });
});

/** Wraps the real file to count writes, check none overlap, and fail on demand. */
function instrumentedFile() {
  const seen = { writes: 0, inFlight: 0, maxInFlight: 0, failWith: undefined as Error | undefined };
  const wrapFile = (file: Adapter<string>): Adapter<string> => ({
    read: () => file.read(),
    async write(text) {
      seen.inFlight++;
      seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
      try {
        if (seen.failWith) throw seen.failWith;
        await file.write(text);
        seen.writes++;
      } finally {
        seen.inFlight--;
      }
    },
  });
  return { seen, wrapFile };
}

describe('group commit', () => {
  it('many concurrent changes share a few writes, and each resolves only once it is on disk', async () => {
    const { seen, wrapFile } = instrumentedFile();
    const temp = await tempStore({ wrapFile });
    const author = await addUser(temp.store, 'author', true);
    const dataFile = join(temp.dataDir, DATA_FILE_NAME);
    const journalFile = join(temp.dataDir, JOURNAL_FILE_NAME);
    const writesBefore = seen.writes;

    const onDiskWhenResolved: boolean[] = [];
    const changes = Array.from({ length: 200 }, async (_, i) => {
      const user =
        i % 2 === 0
          ? await addUser(temp.store, `user${i}`)
          : (await publish(temp.store, author, `post ${i}`)).post;
      const onDisk = readFileSync(dataFile, 'utf8') + readFileSync(journalFile, 'utf8');
      onDiskWhenResolved.push(onDisk.includes(user.id));
    });
    await Promise.all(changes);

    const writes = seen.writes - writesBefore;
    assert.ok(writes >= 1 && writes <= 3, `200 changes took ${writes} writes; expected 1 to 3`);
    assert.equal(seen.maxInFlight, 1, 'never two writes in flight');
    assert.equal(onDiskWhenResolved.length, 200);
    assert.ok(onDiskWhenResolved.every(Boolean), 'every change was on disk when it resolved');
  });

  it('durable on power loss by default: one fdatasync per group commit, whatever it holds', async () => {
    for (const durability of [undefined, 'power', 'kill9'] as const) {
      let journal: JournalFile | undefined;
      const temp = await tempStore({
        ...(durability ? { durability } : {}),
        wrapFile: (file) => {
          if (file instanceof JournalFile) journal = file;
          return file;
        },
      });
      const author = await addUser(temp.store, 'author', true);
      const syncsBefore = journal?.syncs ?? -1;
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => publish(temp.store, author, `post ${i}`)),
      );
      const syncs = (journal?.syncs ?? -1) - syncsBefore;
      if (durability === 'kill9') {
        assert.equal(syncs, 0, 'kill9 acknowledges after write(), with no sync');
      } else {
        assert.ok(
          syncs >= 1 && syncs <= 3,
          `100 changes took ${syncs} fdatasyncs; expected 1 to 3`,
        );
      }
      // Reopening reads back every change, in either mode (the snapshot goes through the
      // durable temp-file-and-rename writer in power mode).
      const store = await temp.reopen();
      assert.equal((await store.listPosts(0, 200)).total, 100);
    }
  });

  it(
    'a lone change is written at once, without waiting for a timer',
    { timeout: 10_000 },
    async (t) => {
      // The default window is the current turn of the event loop, not a timer: a post's latency
      // paid a millisecond or more for setTimeout. With every timer frozen, the commit still ends.
      const temp = await tempStore();
      const author = await addUser(temp.store, 'author', true);
      t.mock.timers.enable({ apis: ['setTimeout'] });
      try {
        await publish(temp.store, author, 'No timer in the way');
      } finally {
        t.mock.timers.reset();
      }
      const store = await temp.reopen();
      assert.equal((await store.listPosts(0, 10)).total, 1);
    },
  );

  it('a change made while a write is in flight goes out in the next write', async () => {
    const { seen, wrapFile } = instrumentedFile();
    const temp = await tempStore({ wrapFile, commitWindowMs: 0 });
    const first = addUser(temp.store, 'first');
    // Let the first write start, then change something while it is in flight.
    await new Promise((resolve) => setImmediate(resolve));
    const second = addUser(temp.store, 'second');
    await Promise.all([first, second]);
    assert.equal(seen.maxInFlight, 1);
    const store = await temp.reopen();
    assert.ok(await store.findUserByUsername('first'));
    assert.ok(await store.findUserByUsername('second'));
  });
});

describe('a failing write', () => {
  it('rejects with StorageUnavailableError, rolls back, and the store recovers with the disk', async () => {
    const temp = await tempStore();
    const { store, dataDir } = temp;
    const author = await addUser(store, 'author', true);
    const reader = await addUser(store, 'reader');
    await store.subscribe(reader.id);
    await publish(store, author, 'Before the outage');
    const seqBefore = store.latestSeq();

    // The data directory disappears behind the store's back and a file takes its path: every
    // write now fails for real (ENOTDIR), even for root, who ignores file permissions.
    const movedAway = `${dataDir}.moved`;
    await rename(dataDir, movedAway);
    await writeFile(dataDir, 'not a directory');
    try {
      const results = await Promise.allSettled([
        publish(store, author, 'Lost in the outage'),
        addUser(store, 'newcomer'),
        store.markAllRead(reader.id),
      ]);
      for (const result of results) {
        assert.equal(result.status, 'rejected');
        assert.ok(result.reason instanceof StorageUnavailableError, String(result.reason));
        assert.match((result.reason as Error).message, /could not write .*ENOTDIR/);
      }
      assert.equal(store.latestSeq(), seqBefore, 'the seq counter is rolled back');
      assert.deepEqual(await inboxOf(store, reader), ['new_post:Before the outage']);
      assert.equal(await store.unreadCount(reader.id), 1, 'mark-all was rolled back');
      assert.equal(await store.findUserByUsername('newcomer'), undefined);
      assert.equal((await store.listPosts(0, 10)).total, 1);
    } finally {
      await rm(dataDir);
      await rename(movedAway, dataDir);
    }

    await publish(store, author, 'After the outage');
    assert.deepEqual(await inboxOf(store, reader), [
      'new_post:Before the outage',
      'new_post:After the outage',
    ]);
    const reopened = await temp.reopen();
    assert.deepEqual(await inboxOf(reopened, reader), [
      'new_post:Before the outage',
      'new_post:After the outage',
    ]);
    assert.equal(await reopened.findUserByUsername('newcomer'), undefined);
  });

  it('a full disk (ENOSPC) is reported as such and nothing changes', async () => {
    const { seen, wrapFile } = instrumentedFile();
    const temp = await tempStore({ wrapFile });
    const author = await addUser(temp.store, 'author', true);
    seen.failWith = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    await assert.rejects(publish(temp.store, author, 'Too big to fit'), (error: Error) => {
      assert.ok(error instanceof StorageUnavailableError);
      assert.match(error.message, /ENOSPC: no space left on device/);
      return true;
    });
    assert.equal((await temp.store.listPosts(0, 10)).total, 0);
    seen.failWith = undefined;
    await publish(temp.store, author, 'Fits now');
    assert.equal((await temp.store.listPosts(0, 10)).total, 1);
  });
});
