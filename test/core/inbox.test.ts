import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addItem,
  appendOlder,
  applyRemoteRead,
  applySync,
  confirmRead,
  emptyInbox,
  markAllReadLocally,
  markReadLocally,
  rollbackRead,
  setUnreadCount,
} from '../../main/core/inbox.js';
import { PROTOCOL_VERSION } from '../../contract/wire.js';
import { sampleItem } from './sampleItems.js';

const sync = (items: ReturnType<typeof sampleItem>[], unreadCount: number, truncated = false) => ({
  items,
  unreadCount,
  upToSeq: Math.max(0, ...items.map((item) => item.seq)),
  truncated,
  protocolVersion: PROTOCOL_VERSION,
});

test('a new item goes on top and raises the count; the same id twice changes nothing', () => {
  let inbox = emptyInbox();
  inbox = addItem(inbox, sampleItem(1)).state;
  const second = addItem(inbox, sampleItem(2));
  assert.equal(second.added?.id, 'n2');
  const duplicate = addItem(second.state, sampleItem(2));
  assert.equal(duplicate.added, null);
  assert.deepEqual(
    duplicate.state.items.map((item) => item.id),
    ['n2', 'n1'],
  );
  assert.equal(duplicate.state.unreadCount, 2);
  assert.equal(duplicate.state.highestSeq, 2);
});

test('whatever order items arrive in, the inbox is newest first, unique and bounded', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 120 }), (seqs) => {
      let inbox = emptyInbox(25);
      for (const seq of seqs) inbox = addItem(inbox, sampleItem(seq)).state;
      const held = inbox.items.map((item) => item.seq);
      assert.ok(held.length <= 25);
      assert.equal(new Set(held).size, held.length);
      assert.deepEqual(
        held,
        [...held].sort((a, b) => b - a),
      );
      assert.equal(inbox.highestSeq, seqs.length ? Math.max(...seqs) : 0);
      if (new Set(seqs).size > 25) assert.equal(inbox.hasMore, true);
    }),
  );
});

test('a first sync replaces the list, takes the server count and reports nothing as missed', () => {
  const inbox = emptyInbox();
  const { state, missed } = applySync(
    inbox,
    sync([sampleItem(3), sampleItem(4)], 7, true),
    undefined,
  );
  assert.deepEqual(
    state.items.map((item) => item.id),
    ['n4', 'n3'],
  );
  assert.equal(state.unreadCount, 7);
  assert.equal(state.hasMore, true);
  assert.deepEqual(missed, []);
});

test('a catch-up sync reports only the unread items that were not already held', () => {
  let inbox = emptyInbox();
  inbox = addItem(inbox, sampleItem(5)).state;
  const { state, missed } = applySync(
    inbox,
    sync([sampleItem(5), sampleItem(6), sampleItem(7, { read: true }), sampleItem(8)], 3),
    5,
  );
  assert.deepEqual(
    missed.map((item) => item.id),
    ['n6', 'n8'],
  );
  assert.equal(state.items.length, 4);
  assert.equal(state.unreadCount, 3);
});

test('a truncated catch-up drops the older side of the gap, so paging back stays in order', () => {
  let inbox = emptyInbox();
  inbox = addItem(inbox, sampleItem(1)).state;
  const { state } = applySync(inbox, sync([sampleItem(300), sampleItem(301)], 2, true), 1);
  assert.deepEqual(
    state.items.map((item) => item.seq),
    [301, 300],
  );
  assert.equal(state.hasMore, true);
});

test('mark read is optimistic and a refusal rolls back exactly what it changed', () => {
  let inbox = emptyInbox();
  for (const seq of [1, 2, 3]) inbox = addItem(inbox, sampleItem(seq)).state;
  inbox = addItem(inbox, sampleItem(4, { read: true })).state;
  const { state, change } = markReadLocally(inbox, ['n1', 'n4', 'unknown']);
  assert.equal(state.unreadCount, 2);
  assert.deepEqual(change.ids, ['n1']);
  const undone = rollbackRead(state, change);
  assert.equal(undone.unreadCount, 3);
  assert.equal(undone.items.find((item) => item.id === 'n1')?.read, false);
  assert.equal(undone.items.find((item) => item.id === 'n4')?.read, true);
});

test('mark all read zeroes the count and its rollback restores it', () => {
  let inbox = emptyInbox();
  for (const seq of [1, 2]) inbox = addItem(inbox, sampleItem(seq)).state;
  inbox = setUnreadCount(inbox, 9, 2);
  const { state, change } = markAllReadLocally(inbox);
  assert.equal(state.unreadCount, 0);
  assert.ok(state.items.every((item) => item.read));
  assert.equal(rollbackRead(state, change).unreadCount, 9);
});

test('a server count that arrives while a mark-read is pending is neither lost nor doubled', () => {
  let inbox = emptyInbox();
  for (const seq of [1, 2]) inbox = addItem(inbox, sampleItem(seq)).state;
  const { state, change } = markReadLocally(inbox, ['n1']);
  assert.equal(state.unreadCount, 1);
  const meanwhile = setUnreadCount(addItem(state, sampleItem(3)).state, 3, 3);
  assert.equal(meanwhile.unreadCount, 2, 'the pending mark-read still shows');
  assert.equal(rollbackRead(meanwhile, change).unreadCount, 3);
  const ack = { unreadCount: 2, upToSeq: 3 };
  assert.equal(confirmRead(meanwhile, change, ack).unreadCount, 2);
  assert.deepEqual(confirmRead(meanwhile, change, ack).pending, []);
});

test('protocol 2: the count from sync plus one per pushed unread item above the seq it covers', () => {
  let inbox = applySync(emptyInbox(), sync([sampleItem(1), sampleItem(2)], 2), undefined).state;
  inbox = addItem(inbox, sampleItem(3)).state;
  inbox = addItem(inbox, sampleItem(4, { read: true })).state;
  assert.equal(inbox.unreadCount, 3, 'one more for n3, none for the read n4');
  // A count that already covers seq 6 arrives before the pushes of 5 and 6: they add nothing,
  // and 7 adds one.
  inbox = setUnreadCount(inbox, 5, 6);
  for (const seq of [5, 6, 7]) inbox = addItem(inbox, sampleItem(seq)).state;
  assert.equal(inbox.unreadCount, 6);
});

// A count is read before an item commits, and the item's push can still reach the client first:
// from another server node, or on PostgreSQL while the count's query is in flight.
test('a count that arrives after a push above the seq it covers keeps that item counted', () => {
  let inbox = applySync(emptyInbox(), sync([sampleItem(1), sampleItem(2)], 2), undefined).state;
  inbox = addItem(inbox, sampleItem(3)).state;
  inbox = addItem(inbox, sampleItem(4, { read: true })).state;
  assert.equal(inbox.unreadCount, 3);
  inbox = setUnreadCount(inbox, 1, 2);
  assert.equal(inbox.unreadCount, 2, 'one up to seq 2, and n3 held above it; n4 is read');
  const { state, change } = markReadLocally(inbox, ['n3']);
  assert.equal(state.unreadCount, 1);
  const meanwhile = setUnreadCount(state, 1, 2);
  assert.equal(meanwhile.unreadCount, 1, 'n3 is still unread on the server, and pending here');
  assert.equal(rollbackRead(meanwhile, change).unreadCount, 2);
  // The ack is read after the mark, so it covers n3 (and so does every later count).
  const acked = confirmRead(meanwhile, change, { unreadCount: 0, upToSeq: 3 });
  assert.equal(acked.unreadCount, 0);
  assert.equal(setUnreadCount(acked, 0, 2).unreadCount, 0, 'an older count: n3 is read');
});

test('a mark-all from another device leaves items newer than upToSeq unread', () => {
  let inbox = emptyInbox();
  for (const seq of [1, 2, 3]) inbox = addItem(inbox, sampleItem(seq)).state;
  const state = applyRemoteRead(inbox, { all: true, upToSeq: 2 });
  assert.deepEqual(
    state.items.map((item) => [item.seq, item.read]),
    [
      [3, false],
      [2, true],
      [1, true],
    ],
  );
  const byIds = applyRemoteRead(inbox, { ids: ['n3'] });
  assert.equal(byIds.items[0]?.read, true);
});

// With several server nodes a post published on one node can reach a socket on another after the
// user marked everything read there: the push still says unread, but the mark-all covered it.
test('an item pushed after a mark-all that covered it arrives read, uncounted and alerts nobody', () => {
  let inbox = applySync(emptyInbox(), sync([sampleItem(1), sampleItem(2)], 2), undefined).state;
  const { state, change } = markAllReadLocally(inbox);
  // The server marked through seq 3 (its push not here yet); seq 4 came after the mark, unread.
  inbox = confirmRead(state, change, { unreadCount: 1, upToSeq: 4, readUpToSeq: 3 });
  assert.equal(inbox.unreadCount, 1);
  const late = addItem(inbox, sampleItem(3));
  assert.equal(late.added?.read, true, 'the late push is held as read');
  assert.equal(late.state.unreadCount, 1);
  const after = addItem(late.state, sampleItem(4));
  assert.equal(after.added?.read, false, 'seq 4 is above the mark and stays unread');
  assert.equal(after.state.unreadCount, 1, 'and the ack already counted it');
  assert.deepEqual(
    after.state.items.map((item) => [item.seq, item.read]),
    [
      [4, false],
      [3, true],
      [2, true],
      [1, true],
    ],
  );
});

test("another device's mark-all also covers the pushes that arrive after it", () => {
  let inbox = applySync(emptyInbox(), sync([sampleItem(1)], 1), undefined).state;
  inbox = setUnreadCount(applyRemoteRead(inbox, { all: true, upToSeq: 2 }), 0, 2);
  inbox = addItem(inbox, sampleItem(2)).state;
  inbox = addItem(inbox, sampleItem(3)).state;
  assert.deepEqual(
    inbox.items.map((item) => [item.seq, item.read]),
    [
      [3, false],
      [2, true],
      [1, true],
    ],
  );
  assert.equal(inbox.unreadCount, 1);
  // A mark-read by ids says nothing about items not named, and an older mark-all moves nothing.
  inbox = applyRemoteRead(inbox, { all: true, upToSeq: 1 });
  inbox = applyRemoteRead(inbox, { ids: ['n9'] });
  assert.equal(addItem(inbox, sampleItem(9)).added?.read, false);
});

test('a page of older items is appended; a short page means there is nothing older', () => {
  let inbox = emptyInbox();
  inbox = addItem(inbox, sampleItem(10)).state;
  inbox = appendOlder(inbox, [sampleItem(9), sampleItem(8)], 2);
  assert.equal(inbox.hasMore, true);
  inbox = appendOlder(inbox, [sampleItem(7)], 2);
  assert.equal(inbox.hasMore, false);
  assert.deepEqual(
    inbox.items.map((item) => item.seq),
    [10, 9, 8, 7],
  );
  assert.equal(inbox.highestSeq, 10);
});

test('a nonsense count from the wire is ignored', () => {
  const inbox = setUnreadCount(emptyInbox(), 4, 0);
  assert.equal(setUnreadCount(inbox, -1, 0).unreadCount, 4);
  assert.equal(setUnreadCount(inbox, 1.5, 0).unreadCount, 4);
});
