/**
 * Folding journal changes into a snapshot document, without the store's in-memory indexes. The
 * fold worker (foldWorker.ts) builds the next snapshot from disk with it: the current snapshot,
 * then every journal line after it, then retention. It keeps the document's own shape (records
 * by id, likes as sets, the events in the event log the file's columns are read into) and nothing
 * else, so it costs a fraction of the store's memory and does not depend on the store's indexes
 * (state.ts).
 *
 * What it writes must be what `toDocument(state)` would write after `applyChange` (changes.ts)
 * and `applyRetention` (state.ts) over the same input, order of records included;
 * test/store/documentFold.test.ts checks that on a real store's journal.
 */
import type { FeedRecord, PostRecord, TokenRecord, UserRecord } from '../store.js';
import type { SubscriptionSpan } from '../visibility.js';
import type { Change } from './changes.js';
import { EventLog } from './eventLog.js';
import {
  DOCUMENT_VERSION,
  type LikerList,
  type ReadState,
  type StoreDocument,
} from './document.js';
import { likerIdLists, likerOf, userPositions } from './likerSets.js';
import { SEEN_KEYS_MAX, type RetentionPolicy } from './state.js';
import { StringTable } from './stringTable.js';

/** A snapshot being folded: the document's collections keyed the way changes address them. */
export interface DocumentFold {
  registrationOpen: boolean;
  latestSeq: number;
  /** The last journal commit folded in. */
  commit: number;
  users: Map<string, UserRecord>;
  tokens: Map<string, TokenRecord>;
  /** In publish order (a Map keeps insertion order; a deleted id published again goes last). */
  posts: Map<string, PostRecord>;
  likes: Map<string, Set<string>>;
  notifiedUnlikes: Map<string, Set<string>>;
  subscriptions: Map<string, readonly SubscriptionSpan[]>;
  /**
   * Ascending by seq, as the store holds them (eventLog.ts): the file's columns taken as they
   * are and written back, with no record built for each of a hundred thousand events.
   */
  events: EventLog;
  readState: Map<string, ReadState>;
  feeds: Map<string, FeedRecord>;
  feedEntriesSeen: Map<string, Set<string>>;
}

export function startFold(document: StoreDocument): DocumentFold {
  return {
    registrationOpen: document.settings.registrationOpen,
    latestSeq: document.latestSeq,
    commit: document.commit ?? 0,
    users: byId(document.users),
    tokens: byId(document.tokens),
    posts: byId(document.posts),
    likes: toSetMap(likerIdLists(document.likes, document.users)),
    notifiedUnlikes: toSetMap(likerIdLists(document.notifiedUnlikes, document.users)),
    subscriptions: new Map(Object.entries(document.subscriptions)),
    events: EventLog.fromColumns(new StringTable(), document.events),
    readState: new Map(Object.entries(document.readState)),
    feeds: byId(document.feeds ?? []),
    feedEntriesSeen: toSetMap(document.feedEntriesSeen ?? {}),
  };
}

/** One journal change, as `applyChange` makes it in the store's memory. */
export function foldChange(fold: DocumentFold, change: Change): void {
  switch (change[0]) {
    case 'user':
      fold.users.set(change[1].id, change[1]);
      return;
    case 'token':
      fold.tokens.set(change[1].id, change[1]);
      return;
    case 'tokenDeleted':
      fold.tokens.delete(change[1]);
      return;
    case 'registrationOpen':
      fold.registrationOpen = change[1];
      return;
    case 'post':
      fold.posts.set(change[1].id, change[1]);
      return;
    case 'postDeleted':
      if (!fold.posts.delete(change[1])) return;
      fold.likes.delete(change[1]);
      fold.notifiedUnlikes.delete(change[1]);
      return;
    case 'like':
      addTo(fold.likes, change[1], change[2]);
      removeFrom(fold.notifiedUnlikes, change[1], change[2]);
      return;
    case 'unlike': {
      const [, postId, userId] = change;
      removeFrom(fold.likes, postId, userId);
      if (fold.posts.get(postId)?.authorId !== userId) addTo(fold.notifiedUnlikes, postId, userId);
      return;
    }
    case 'event':
      fold.latestSeq = Math.max(fold.latestSeq, change[1].seq);
      fold.events.append(change[1]);
      return;
    case 'spans':
      if (change[2].length === 0) fold.subscriptions.delete(change[1]);
      else fold.subscriptions.set(change[1], [...change[2]]);
      return;
    case 'readState':
      fold.readState.set(change[1], change[2]);
      return;
    case 'feed':
      fold.feeds.set(change[1].id, change[1]);
      return;
    case 'feedDeleted':
      fold.feeds.delete(change[1]);
      fold.feedEntriesSeen.delete(change[1]);
      return;
    case 'feedEntriesSeen': {
      const seen = fold.feedEntriesSeen.get(change[1]) ?? new Set<string>();
      for (const key of change[2]) seen.add(key);
      for (const oldest of seen) {
        if (seen.size <= SEEN_KEYS_MAX) break;
        seen.delete(oldest);
      }
      fold.feedEntriesSeen.set(change[1], seen);
      return;
    }
  }
}

/** The store's retention (state.ts `applyRetention`), over the document. */
export function retainFold(fold: DocumentFold, policy: RetentionPolicy, now: Date): void {
  const cutoff = now.getTime() - policy.maxEventAgeDays * 24 * 60 * 60 * 1000;
  const { events } = fold;
  let drop = Math.max(0, events.length - policy.maxEvents);
  for (; drop < events.length; drop++) {
    if (events.timeAt(drop) >= cutoff) break;
  }
  if (drop === 0) return;
  const upTo = events.seqAt(drop - 1);
  events.dropOldest(drop);
  for (const [userId, read] of fold.readState) {
    if ((read.above[0] ?? Infinity) <= upTo) {
      fold.readState.set(userId, {
        cursor: read.cursor,
        above: read.above.filter((s) => s > upTo),
      });
    }
  }
  for (const [userId, spans] of fold.subscriptions) {
    const kept = spans.filter(([, to]) => to === null || to > upTo);
    if (kept.length === 0) fold.subscriptions.delete(userId);
    else if (kept.length < spans.length) fold.subscriptions.set(userId, kept);
  }
}

/** The folded snapshot, in the shape and order `toDocument` gives, with its last commit. */
export function finishFold(fold: DocumentFold): StoreDocument {
  const users = [...fold.users.values()];
  const positions = userPositions(users);
  const likerLists = (map: Map<string, Set<string>>): Record<string, LikerList> =>
    Object.fromEntries(
      [...map].map(([postId, userIds]) => [
        postId,
        [...userIds].map((userId) => likerOf(userId, positions)),
      ]),
    );
  return {
    version: DOCUMENT_VERSION,
    settings: { registrationOpen: fold.registrationOpen },
    latestSeq: fold.latestSeq,
    users,
    tokens: [...fold.tokens.values()],
    posts: [...fold.posts.values()],
    likes: likerLists(fold.likes),
    notifiedUnlikes: likerLists(fold.notifiedUnlikes),
    subscriptions: Object.fromEntries(fold.subscriptions) as StoreDocument['subscriptions'],
    events: fold.events.toColumns(),
    readState: Object.fromEntries(fold.readState),
    feeds: [...fold.feeds.values()],
    feedEntriesSeen: fromSetMap(fold.feedEntriesSeen),
    commit: fold.commit,
  };
}

function byId<T extends { id: string }>(records: readonly T[]): Map<string, T> {
  return new Map(records.map((record) => [record.id, record]));
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set();
  set.add(value);
  map.set(key, set);
}

function removeFrom(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (!set?.delete(value)) return;
  if (set.size === 0) map.delete(key);
}

function toSetMap(record: Record<string, string[]>): Map<string, Set<string>> {
  return new Map(Object.entries(record).map(([key, values]) => [key, new Set(values)]));
}

function fromSetMap(map: Map<string, Set<string>>): Record<string, string[]> {
  return Object.fromEntries([...map].map(([key, values]) => [key, [...values]]));
}
