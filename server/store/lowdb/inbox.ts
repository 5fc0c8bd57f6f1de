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

/** Visible events with seq in (after, upTo]: about O(spans × log n), whatever the inbox's size. */
export function countVisibleAfter(
  state: StoreState,
  userId: string,
  after: number,
  upTo = Infinity,
): number {
  let count = countInRange(state.userStreams.get(userId) ?? [], after, upTo);
  const ownPosts = state.ownPostSeqs.get(userId) ?? [];
  for (const [from, to] of state.subscriptions.get(userId) ?? []) {
    const low = Math.max(from, after);
    const high = Math.min(to ?? Infinity, upTo);
    count += countInRange(state.subscriberStream, low, high) - countInRange(ownPosts, low, high);
  }
  return count;
}

export function unreadCount(state: StoreState, userId: string, upTo = Infinity): number {
  const read = readStateOf(state, userId);
  const readAbove = upTo === Infinity ? read.above.length : indexAfter(read.above, upTo);
  return countVisibleAfter(state, userId, read.cursor, upTo) - readAbove;
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

export function listInbox(state: StoreState, userId: string, query: InboxQuery): InboxEntry[] {
  const seqs =
    query.afterSeq === undefined
      ? newestSeqs(state, userId, query.beforeSeq, query.limit)
      : visibleAscending(state, userId, query.afterSeq, query.beforeSeq);
  return entriesOf(state, readStateOf(state, userId), seqs, query.limit);
}

/** The entries of the first `limit` of these seqs whose event is still kept. */
export function entriesOf(
  state: StoreState,
  read: ReadState,
  seqs: Iterable<number>,
  limit: number,
): InboxEntry[] {
  const entries: InboxEntry[] = [];
  for (const seq of seqs) {
    if (entries.length >= limit) break;
    const event = state.events.get(seq);
    if (event) entries.push({ event, read: isRead(read, seq) });
  }
  return entries;
}

export function newestVisibleSeq(state: StoreState, userId: string): number | undefined {
  const [own, subscribed] = newestBySource(state, userId, Infinity, 1, false);
  return Math.max(own[0] ?? 0, subscribed[0] ?? 0) || undefined;
}

/*
 * The newest page and the newest seq, the reads every connecting socket makes (a reconnect storm
 * makes thousands a second), walk the arrays in plain loops: a generator costs an iterator, a
 * result object per seq and a suspended frame per stream (issue 14). Each source is read newest
 * first on its own, at most `limit` seqs, then the two are merged: the newest `limit` of all lie
 * within them.
 */

/** The visible seqs below `before` whose event is kept, newest first, `limit` of them at most. */
function newestSeqs(
  state: StoreState,
  userId: string,
  before: number | undefined,
  limit: number,
): number[] {
  const [own, subscribed] = newestBySource(state, userId, before ?? Infinity, limit, true);
  const merged: number[] = [];
  let o = 0;
  let s = 0;
  while (merged.length < limit && (o < own.length || s < subscribed.length)) {
    const fromOwn = (own[o] ?? -Infinity) > (subscribed[s] ?? -Infinity);
    merged.push((fromOwn ? own[o++] : subscribed[s++]) as number);
  }
  return merged;
}

/**
 * The visible seqs below `before`, newest first, from each source apart: the user's own stream,
 * and the subscriber stream inside the user's spans without the user's own posts. At most
 * `limit` from each; with `kept`, only the seqs whose event is still kept.
 */
function newestBySource(
  state: StoreState,
  userId: string,
  before: number,
  limit: number,
  kept: boolean,
): [own: number[], subscribed: number[]] {
  const { events } = state;
  function collect(
    found: number[],
    stream: readonly number[],
    after: number,
    below: number,
    othersOnly: boolean,
  ): void {
    for (let i = indexAfter(stream, Math.ceil(below) - 1) - 1; i >= 0; i--) {
      const seq = stream[i] as number;
      if (seq <= after || found.length >= limit) return;
      if (othersOnly && events.isByActor(seq, userId)) continue;
      if (!kept || events.has(seq)) found.push(seq);
    }
  }
  const own: number[] = [];
  collect(own, state.userStreams.get(userId) ?? [], 0, before, false);
  const subscribed: number[] = [];
  const spans = spansOf(state, userId);
  for (let k = spans.length - 1; k >= 0; k--) {
    const [from, to] = spans[k] as SubscriptionSpan;
    const below = Math.min(to === null ? Infinity : to + 1, before);
    collect(subscribed, state.subscriberStream, Math.max(from, 0), below, true);
  }
  return [own, subscribed];
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
