/**
 * Nothing is shown before it is on disk: while a write is in flight, reads that feed a client
 * (the domain inbox service) wait for `settled()`, which resolves once the write landed (and the
 * event shows) or failed (and the event never existed).
 */
import { after, describe, it } from 'node:test';
import { postOf } from '../fixtures/api.js';
import assert from 'node:assert/strict';
import type { Adapter } from 'lowdb';
import { createInbox } from '../../server/domain/inbox.js';
import { noPush } from '../../server/domain/push.js';
import { StorageUnavailableError } from '../../server/store/store.js';
import { addUser, inboxOf, openTempStore, publish } from './tempStore.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** A journal whose next write can be held open, then let through or failed. */
function heldFile() {
  let hold: { entered: () => void; release: Promise<Error | undefined> } | undefined;
  const wrapFile = (file: Adapter<string>): Adapter<string> => ({
    read: () => file.read(),
    async write(text) {
      const held = hold;
      hold = undefined;
      if (held) {
        held.entered();
        const failure = await held.release;
        if (failure) throw failure;
      }
      await file.write(text);
    },
  });
  /** Holds the next write; resolves once it has started, with a function that ends it. */
  const holdNextWrite = () => {
    let letGo: (failure: Error | undefined) => void = () => undefined;
    const release = new Promise<Error | undefined>((resolve) => (letGo = resolve));
    const started = new Promise<void>((entered) => (hold = { entered, release }));
    return { started, letGo };
  };
  return { wrapFile, holdNextWrite };
}

async function setUp() {
  const file = heldFile();
  const temp = await openTempStore({ wrapFile: file.wrapFile });
  cleanups.push(() => temp.dispose());
  const { store } = temp;
  const author = await addUser(store, 'author', true);
  const reader = await addUser(store, 'reader');
  await store.subscribe(reader.id);
  await publish(store, author, 'Already on disk');
  const inbox = createInbox({ store, push: noPush, publicUrl: 'http://127.0.0.1:1' });
  return { ...file, store, author, reader, inbox };
}

/** Records when a promise settles, so a test can say it has NOT yet. */
function watch<T>(promise: Promise<T>) {
  const state = { done: false };
  promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

/** A few turns of the event loop: long enough for anything not waiting on the held write. */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('settled(): reads wait for the write in flight', { timeout: 20_000 }, () => {
  it('an event being written is not shown until it is on disk, then it is', async () => {
    const { store, author, reader, inbox, holdNextWrite } = await setUp();
    const { started, letGo } = holdNextWrite();
    const publishing = publish(store, author, 'In flight');
    // Asked before the write starts (the change still waits for its batch) and while it is held.
    const settledEarly = watch(store.settled());
    await started;

    const settled = watch(store.settled());
    const listing = inbox.list(reader.id, undefined);
    const listed = watch(listing);
    const counting = inbox.unreadCount(reader.id);
    const syncing = inbox.sync(reader.id, undefined);
    await turns();
    assert.equal(settled.done, false, 'settled() waits for the held write');
    assert.equal(settledEarly.done, false, 'settled() waits for the batch its change is in');
    assert.equal(listed.done, false, 'the inbox service does not answer from memory meanwhile');

    letGo(undefined);
    await publishing;
    await store.settled();
    assert.deepEqual(
      (await listing).map((item) => postOf(item).title),
      ['In flight', 'Already on disk'],
    );
    assert.equal(await counting, 2);
    assert.equal((await syncing).unreadCount, 2);
    assert.deepEqual(await inboxOf(store, reader), [
      'new_post:Already on disk',
      'new_post:In flight',
    ]);
  });

  it('an event whose write fails is never shown, and the unread count is unchanged', async () => {
    const { store, author, reader, inbox, holdNextWrite } = await setUp();
    const countBefore = await inbox.unreadCount(reader.id);
    const { started, letGo } = holdNextWrite();
    const publishing = publish(store, author, 'Lost to a full disk');
    const rejected = assert.rejects(publishing, StorageUnavailableError);
    await started;

    const listing = inbox.list(reader.id, undefined);
    const counting = inbox.unreadCount(reader.id);
    const syncing = inbox.sync(reader.id, undefined);
    const settling = store.settled();
    letGo(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    await rejected;
    await settling;

    assert.deepEqual(await inboxOf(store, reader), ['new_post:Already on disk']);
    assert.equal(await store.unreadCount(reader.id), countBefore);
    assert.deepEqual(
      (await listing).map((item) => postOf(item).title),
      ['Already on disk'],
    );
    assert.equal(await counting, countBefore);
    const sync = await syncing;
    assert.deepEqual(
      sync.items.map((item) => postOf(item).title),
      ['Already on disk'],
    );
    assert.equal(sync.unreadCount, countBefore);
  });

  it('with nothing in flight it resolves at once, with one shared promise, and starts no write', async () => {
    const { store, reader, holdNextWrite } = await setUp();
    assert.equal(store.settled(), store.settled());
    // Were settled() to start a write, it would be held here and the test would time out.
    const { letGo } = holdNextWrite();
    await store.settled();
    assert.deepEqual(await inboxOf(store, reader), ['new_post:Already on disk']);
    letGo(undefined);
  });
});
