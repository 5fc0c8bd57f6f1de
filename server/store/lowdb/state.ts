/**
 * The store's data in memory, with the indexes that keep every query cheap at the DESIGN's scale
 * (10,000 users, 1,000 posts, 100,000 likes, 100,000 events). It is built from the file's document
 * on open and turned back into one for a snapshot; records are replaced, never mutated in place.
 * The bulk of the data (events and likes) is held in a compact form (eventLog.ts, likerSets.ts)
 * whose records are built only for what a query returns.
 */
import type { EventRecord, FeedRecord, PostRecord, TokenRecord, UserRecord } from '../store.js';
import { SEEN_KEYS_MAX } from '../store.js';
import type { SubscriptionSpan } from '../visibility.js';
import { DOCUMENT_VERSION, type ReadState, type StoreDocument } from './document.js';
import { EventLog } from './eventLog.js';
import { LikerSets, userPositions } from './likerSets.js';
import { dropUpTo, insertSorted } from './sortedSeqs.js';
import { StringTable } from './stringTable.js';
import { TokenIdsByUser } from './tokenIdsByUser.js';

export interface StoreState {
  registrationOpen: boolean;
  latestSeq: number;
  users: Map<string, UserRecord>;
  /** Lower-cased username → user id: usernames are unique case-insensitively. */
  userIdByName: Map<string, string>;
  tokens: Map<string, TokenRecord>;
  tokenIdByHash: Map<string, string>;
  tokenIdsByUser: TokenIdsByUser;
  posts: Map<string, PostRecord>;
  /** Post ids in publish order, oldest first, for paging newest-first by offset. */
  postOrder: string[];
  /** The ids, titles and names the events and likes mention, each held once. */
  strings: StringTable;
  likes: LikerSets;
  notifiedUnlikes: LikerSets;
  subscriptions: Map<string, SubscriptionSpan[]>;
  /** Ascending by seq, column-wise; looked up by seq or id. */
  events: EventLog;
  /** Seqs of events addressed to the subscribers, ascending. */
  subscriberStream: number[];
  /** userId → seqs of events addressed to that user alone, ascending. */
  userStreams: Map<string, number[]>;
  /** userId → seqs of their own posts in the subscriber stream, which they never see. */
  ownPostSeqs: Map<string, number[]>;
  readState: Map<string, ReadState>;
  feeds: Map<string, FeedRecord>;
  /** feedId → keys of the entries seen, in the order seen (a Set keeps insertion order). */
  feedEntriesSeen: Map<string, Set<string>>;
}

/** Seen keys kept per feed: the bound every driver keeps (store.ts). */
export { SEEN_KEYS_MAX };

/** Appends keys in order, forgetting the oldest beyond SEEN_KEYS_MAX; deterministic for replay. */
export function addSeenKeys(state: StoreState, feedId: string, keys: readonly string[]): void {
  const seen = state.feedEntriesSeen.get(feedId) ?? new Set<string>();
  for (const key of keys) seen.add(key);
  for (const oldest of seen) {
    if (seen.size <= SEEN_KEYS_MAX) break;
    seen.delete(oldest);
  }
  state.feedEntriesSeen.set(feedId, seen);
}

/** The state of a document, which it takes over: the caller uses the document for nothing else. */
export function buildState(document: StoreDocument): StoreState {
  const strings = new StringTable();
  const userIds = document.users.map((user) => user.id);
  const state: StoreState = {
    registrationOpen: document.settings.registrationOpen,
    latestSeq: document.latestSeq,
    users: new Map(),
    userIdByName: new Map(),
    tokens: new Map(),
    tokenIdByHash: new Map(),
    tokenIdsByUser: new TokenIdsByUser(),
    posts: new Map(),
    postOrder: [],
    strings,
    // The events first: into the empty table, the file's strings keep their numbers.
    events: EventLog.fromColumns(strings, document.events),
    likes: LikerSets.fromRecord(strings, document.likes, userIds),
    notifiedUnlikes: LikerSets.fromRecord(strings, document.notifiedUnlikes, userIds),
    subscriptions: new Map(Object.entries(document.subscriptions)),
    subscriberStream: [],
    userStreams: new Map(),
    ownPostSeqs: new Map(),
    readState: new Map(Object.entries(document.readState)),
    feeds: new Map((document.feeds ?? []).map((feed) => [feed.id, feed])),
    feedEntriesSeen: toSetMap(document.feedEntriesSeen ?? {}),
  };
  for (const user of document.users) putUser(state, user);
  for (const token of document.tokens) putToken(state, token);
  for (const post of document.posts) {
    state.posts.set(post.id, post);
    state.postOrder.push(post.id);
  }
  indexEvents(state);
  return state;
}

export function toDocument(state: StoreState): StoreDocument {
  const users = [...state.users.values()];
  const positions = userPositions(users);
  return {
    version: DOCUMENT_VERSION,
    settings: { registrationOpen: state.registrationOpen },
    latestSeq: state.latestSeq,
    users,
    tokens: [...state.tokens.values()],
    posts: state.postOrder.flatMap((id) => state.posts.get(id) ?? []),
    likes: state.likes.toRecord(positions),
    notifiedUnlikes: state.notifiedUnlikes.toRecord(positions),
    subscriptions: Object.fromEntries(state.subscriptions),
    events: state.events.toColumns(),
    readState: Object.fromEntries(state.readState),
    feeds: [...state.feeds.values()],
    feedEntriesSeen: fromSetMap(state.feedEntriesSeen),
  };
}

export function putUser(state: StoreState, user: UserRecord): void {
  state.users.set(user.id, user);
  state.userIdByName.set(user.username.toLowerCase(), user.id);
}

export function putToken(state: StoreState, token: TokenRecord): void {
  state.tokens.set(token.id, token);
  state.tokenIdByHash.set(token.tokenHash, token.id);
  state.tokenIdsByUser.add(token.userId, token.id);
}

export function deleteToken(state: StoreState, tokenId: string): boolean {
  const token = state.tokens.get(tokenId);
  if (!token) return false;
  state.tokens.delete(tokenId);
  state.tokenIdByHash.delete(token.tokenHash);
  state.tokenIdsByUser.delete(token.userId, tokenId);
  return true;
}

/** Events arrive in seq order, so every index here is an append. */
export function appendEvent(state: StoreState, event: EventRecord): void {
  state.events.append(event);
  indexEvent(
    state,
    event.seq,
    event.audience.kind === 'user' ? event.audience.userId : undefined,
    event.actorId,
  );
}

/**
 * The streams of the events a state was built with (its maps are empty). Grouped by the users'
 * interned numbers first (eventLog.ts) and put in the maps once per user: a string and a map
 * lookup per event was most of the 0.04 s this took at the likes data. Seqs ascend, so each
 * stream is pushes only.
 */
function indexEvents(state: StoreState): void {
  const { strings } = state;
  const grouped = state.events.groupedSeqs();
  state.subscriberStream = grouped.subscribers;
  for (const [number, seqs] of grouped.toUser) state.userStreams.set(strings.at(number), seqs);
  for (const [number, seqs] of grouped.ownPosts) state.ownPostSeqs.set(strings.at(number), seqs);
}

function indexEvent(
  state: StoreState,
  seq: number,
  audienceUser: string | undefined,
  actorId: string,
): void {
  if (audienceUser === undefined) {
    state.subscriberStream.push(seq);
    insertSorted(streamOf(state.ownPostSeqs, actorId), seq);
  } else {
    insertSorted(streamOf(state.userStreams, audienceUser), seq);
  }
}

export interface RetentionPolicy {
  maxEventAgeDays: number;
  maxEvents: number;
}

/**
 * Drops the oldest events: those older than the age limit, then as many more as it takes to fit
 * the count limit. Returns how many were dropped. Read cursors are plain seqs and stay valid; read
 * marks and subscription spans that only covered dropped events are pruned with them.
 */
export function applyRetention(state: StoreState, policy: RetentionPolicy, now: Date): number {
  const cutoff = now.getTime() - policy.maxEventAgeDays * 24 * 60 * 60 * 1000;
  const { events } = state;
  let drop = Math.max(0, events.length - policy.maxEvents);
  for (; drop < events.length; drop++) {
    if (events.timeAt(drop) >= cutoff) break;
  }
  if (drop === 0) return 0;
  const upTo = events.seqAt(drop - 1);
  dropUpTo(state.subscriberStream, upTo);
  // Only the streams the dropped events were in, so steady-state retention costs what it drops.
  for (let i = 0; i < drop; i++) {
    const audienceUser = events.audienceUserAt(i);
    if (audienceUser !== undefined) pruneStream(state.userStreams, audienceUser, upTo);
    else pruneStream(state.ownPostSeqs, events.actorAt(i), upTo);
  }
  events.dropOldest(drop);
  for (const [userId, read] of state.readState) {
    if ((read.above[0] ?? Infinity) <= upTo) {
      state.readState.set(userId, {
        cursor: read.cursor,
        above: read.above.filter((s) => s > upTo),
      });
    }
  }
  for (const [userId, spans] of state.subscriptions) {
    const kept = spans.filter(([, to]) => to === null || to > upTo);
    if (kept.length === 0) state.subscriptions.delete(userId);
    else if (kept.length < spans.length) state.subscriptions.set(userId, kept);
  }
  return drop;
}

function pruneStream(streams: Map<string, number[]>, key: string, upTo: number): void {
  const seqs = streams.get(key);
  if (!seqs) return;
  dropUpTo(seqs, upTo);
  if (seqs.length === 0) streams.delete(key);
}

function streamOf(streams: Map<string, number[]>, key: string): number[] {
  let seqs = streams.get(key);
  if (!seqs) {
    seqs = [];
    streams.set(key, seqs);
  }
  return seqs;
}

function toSetMap(record: Record<string, string[]>): Map<string, Set<string>> {
  return new Map(Object.entries(record).map(([key, values]) => [key, new Set(values)]));
}

function fromSetMap(map: Map<string, Set<string>>): Record<string, string[]> {
  return Object.fromEntries([...map].map(([key, values]) => [key, [...values]]));
}
