/**
 * A user's inbox, derived on read from the shared event streams (fan-out on read). Each stream is
 * an ascending array of seqs, so counting is a binary search per stream and paging walks only the
 * items it returns. The rules of who sees what live in server/store/visibility.ts; this module makes
 * them fast over the indexes in StoreState.
 */
import type { InboxEntry, InboxQuery } from '../store.js';
import type { SubscriptionSpan } from '../visibility.js';
import type { ReadState } from './document.js';
import type { StoreState } from './state.js';
import { countInRange, indexAfter, insertSorted } from './sortedSeqs.js';

const UNREAD: ReadState = { cursor: 0, above: [] };

export function readStateOf(state: StoreState, userId: string): ReadState {
  return state.readState.get(userId) ?? UNREAD;
}

/** Visible events with seq > after: about O(spans × log n), independent of the inbox's size. */
export function countVisibleAfter(state: StoreState, userId: string, after: number): number {
  let count = countInRange(state.userStreams.get(userId) ?? [], after, Infinity);
  const ownPosts = state.ownPostSeqs.get(userId) ?? [];
  for (const [from, to] of state.subscriptions.get(userId) ?? []) {
    const low = Math.max(from, after);
    const high = to ?? Infinity;
    count += countInRange(state.subscriberStream, low, high) - countInRange(ownPosts, low, high);
  }
  return count;
}

export function unreadCount(state: StoreState, userId: string): number {
  const read = readStateOf(state, userId);
  return countVisibleAfter(state, userId, read.cursor) - read.above.length;
}

export function isRead(read: ReadState, seq: number): boolean {
  if (seq <= read.cursor) return true;
  const at = indexAfter(read.above, seq);
  return read.above[at - 1] === seq;
}

/** Seqs the user can see in the open range (after, before), oldest first. */
export function* visibleAscending(
  state: StoreState,
  userId: string,
  after = 0,
  before = Infinity,
): Generator<number> {
  yield* mergeAscending(
    ascendingIn(state.userStreams.get(userId) ?? [], after, before),
    subscriberAscending(state, userId, after, before),
  );
}

/** Seqs the user can see in the open range (after, before), newest first. */
export function* visibleDescending(
  state: StoreState,
  userId: string,
  after = 0,
  before = Infinity,
): Generator<number> {
  const negate = function* (seqs: Iterable<number>): Generator<number> {
    for (const seq of seqs) yield -seq;
  };
  for (const negated of mergeAscending(
    negate(descendingIn(state.userStreams.get(userId) ?? [], after, before)),
    negate(subscriberDescending(state, userId, after, before)),
  )) {
    yield -negated;
  }
}

export function listInbox(state: StoreState, userId: string, query: InboxQuery): InboxEntry[] {
  const read = readStateOf(state, userId);
  const seqs =
    query.afterSeq !== undefined
      ? visibleAscending(state, userId, query.afterSeq, query.beforeSeq)
      : visibleDescending(state, userId, 0, query.beforeSeq);
  const entries: InboxEntry[] = [];
  for (const seq of seqs) {
    if (entries.length >= query.limit) break;
    const event = state.events.get(seq);
    if (event) entries.push({ event, read: isRead(read, seq) });
  }
  return entries;
}

export function newestVisibleSeq(state: StoreState, userId: string): number | undefined {
  for (const seq of visibleDescending(state, userId)) return seq;
  return undefined;
}

/**
 * Marks seqs read and returns the new read state, kept small: the cursor moves past every read
 * item that directly follows it, and marks at or below the cursor are dropped.
 */
export function withReadSeqs(
  state: StoreState,
  userId: string,
  read: ReadState,
  seqs: readonly number[],
): ReadState {
  const above = [...read.above];
  for (const seq of seqs) if (seq > read.cursor) insertSorted(above, seq);
  let cursor = read.cursor;
  let next = 0;
  for (const seq of visibleAscending(state, userId, cursor)) {
    if (above[next] !== seq) break;
    cursor = seq;
    next++;
  }
  return { cursor, above: above.slice(next) };
}

function* ascendingIn(seqs: readonly number[], after: number, before: number): Generator<number> {
  for (let i = indexAfter(seqs, after); i < seqs.length; i++) {
    const seq = seqs[i] as number;
    if (seq >= before) return;
    yield seq;
  }
}

function* descendingIn(seqs: readonly number[], after: number, before: number): Generator<number> {
  for (let i = indexAfter(seqs, Math.ceil(before) - 1) - 1; i >= 0; i--) {
    const seq = seqs[i] as number;
    if (seq <= after) return;
    yield seq;
  }
}

function spansOf(state: StoreState, userId: string): readonly SubscriptionSpan[] {
  return state.subscriptions.get(userId) ?? [];
}

function* subscriberAscending(
  state: StoreState,
  userId: string,
  after: number,
  before: number,
): Generator<number> {
  for (const [from, to] of spansOf(state, userId)) {
    const low = Math.max(from, after);
    const below = Math.min(to === null ? Infinity : to + 1, before);
    for (const seq of ascendingIn(state.subscriberStream, low, below)) {
      if (!state.events.isByActor(seq, userId)) yield seq;
    }
  }
}

function* subscriberDescending(
  state: StoreState,
  userId: string,
  after: number,
  before: number,
): Generator<number> {
  const spans = spansOf(state, userId);
  for (const [from, to] of [...spans].reverse()) {
    const low = Math.max(from, after);
    const below = Math.min(to === null ? Infinity : to + 1, before);
    for (const seq of descendingIn(state.subscriberStream, low, below)) {
      if (!state.events.isByActor(seq, userId)) yield seq;
    }
  }
}

function* mergeAscending(a: Iterator<number>, b: Iterator<number>): Generator<number> {
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && x.value < y.value)) {
      yield x.value as number;
      x = a.next();
    } else {
      yield y.value;
      y = b.next();
    }
  }
}
