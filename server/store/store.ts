/**
 * The storage boundary. Domain code talks to these interfaces only; the lowdb driver
 * (server/store/lowdb/) is the default, and a PostgreSQL driver for several server nodes must be
 * able to slot in behind the same methods. The records and errors they carry are in records.ts;
 * the rules of who sees which event are in visibility.ts. The conformance suite in
 * test/store/conformance/ checks a driver against every point below, one role at a time; only a
 * failing write needs a fault that each driver's own tests inject.
 *
 * `Store` is the combination of the role interfaces below; a driver implements all of them. Code
 * that needs one part asks for that role only (e.g. the posts service takes a PostStore).
 *
 * Contract every driver keeps:
 * - Every mutating method resolves only after the change has reached durable storage. Callers push
 *   realtime events after that, so whatever a client has seen survives `kill -9`.
 * - A mutating method that cannot persist rejects with StorageUnavailableError and leaves the
 *   visible state as it was before the call.
 * - Reads may see a change whose write is still in flight (a driver that answers from memory
 *   does). `settled()` resolves once every change applied before the call has reached durable
 *   storage or been rolled back, so whatever feeds a client awaits it first and never shows
 *   something that a failed write or `kill -9` then takes back. A driver whose reads only see
 *   committed rows (PostgreSQL) has nothing in flight for reads: its `settled()` brings
 *   `latestSeq()` up to every seq committed before the call, on any node, and waits for this
 *   node's writes started before it (one may be committed and not yet resolved, its push not yet
 *   run: the sync handoff relies on it).
 * - Fan-out on read: a new post is ONE event addressed to the subscribers; a like is ONE event
 *   addressed to the author. Nothing is copied per recipient. A user's inbox is derived from the
 *   events they can see (visibility.ts); read state is a cursor plus the few seqs read out of order
 *   above it.
 * - `seq` is one global, strictly increasing counter over events, so it also increases per user.
 */
import type {
  EventRecord,
  FeedPollUpdate,
  FeedRecord,
  ImportedEntry,
  Iso,
  SetupCodeRecord,
  NewAnnouncement,
  NewFeed,
  InboxEntry,
  InboxQuery,
  LikeResult,
  NewUser,
  PostRecord,
  StoreStats,
  TokenRecord,
  UserRecord,
} from './records.js';

export * from './records.js';

/** Opening, closing and the state of the writes; see the contract above for `settled`. */
export interface StoreLifecycle {
  /** Loads the data. Rejects with CorruptDataError (never resets the file) or a setup error. */
  open(): Promise<void>;
  /** Persists pending changes and releases the data. */
  close(): Promise<void>;
  stats(): StoreStats;
  /** Never rejects; cheap when nothing is in flight. See the contract above. */
  settled(): Promise<void>;
}

/** Users, their login tokens, and the registration setting an operator changes at runtime. */
export interface AccountStore {
  countUsers(): Promise<number>;
  /** Rejects with ConflictError when the username is taken (case-insensitively). */
  createUser(user: NewUser): Promise<UserRecord>;
  getUser(id: string): Promise<UserRecord | undefined>;
  /** Case-insensitive. */
  findUserByUsername(username: string): Promise<UserRecord | undefined>;
  /** The oldest admin account: the command line acts as it (e.g. `feeds add`). */
  findFirstAdmin(): Promise<UserRecord | undefined>;
  /** Undefined when there is no such user. */
  setAuthor(userId: string, isAuthor: boolean): Promise<UserRecord | undefined>;
  createToken(token: Omit<TokenRecord, 'id' | 'createdAt' | 'lastUsedAt'>): Promise<TokenRecord>;
  findTokenByHash(tokenHash: string): Promise<TokenRecord | undefined>;
  /** The user's tokens (their signed-in devices), oldest first. */
  listTokens(userId: string): Promise<TokenRecord[]>;
  /** Records a use of the token at `at`; false when there is no such token. */
  touchToken(tokenId: string, at: Iso): Promise<boolean>;
  /** False when there was no such token. */
  revokeToken(tokenId: string): Promise<boolean>;
  /** Returns the number of tokens revoked. */
  revokeAllTokens(userId: string): Promise<number>;
  /** Open until an operator closes it. */
  isRegistrationOpen(): Promise<boolean>;
  setRegistrationOpen(open: boolean): Promise<void>;
  /**
   * Keeps `offered` as the store's setup code unless one is kept already, and returns the one
   * kept: every node sharing the store then accepts the same code, the one the first node to
   * start printed. A store only one process opens may keep it in memory only.
   */
  keepSetupCode(offered: SetupCodeRecord): Promise<SetupCodeRecord>;
}

/** Posts and their likes. Publishing and liking record the events the inboxes are derived from. */
export interface PostStore {
  /** Stores the post and its ONE new_post event (audience: subscribers) in one durable write. */
  publishPost(
    post: Omit<PostRecord, 'id' | 'createdAt' | 'updatedAt'>,
  ): Promise<{ post: PostRecord; event: EventRecord }>;
  getPost(id: string): Promise<PostRecord | undefined>;
  /** Newest first. */
  listPosts(offset: number, limit: number): Promise<{ items: PostRecord[]; total: number }>;
  updatePost(
    id: string,
    patch: Partial<Pick<PostRecord, 'title' | 'body' | 'excerpt'>>,
  ): Promise<PostRecord | undefined>;
  /** Deletes the post and its likes. Notifications about it stay, with their title snapshot. */
  deletePost(id: string): Promise<boolean>;
  /**
   * One like per user and post. Records a post_liked event for the author unless the liker is the
   * author, or this user's like of this post was already notified (like, unlike, like again).
   * Liking a post that does not exist changes nothing: `{ created: false }`.
   */
  addLike(postId: string, userId: string): Promise<LikeResult>;
  removeLike(postId: string, userId: string): Promise<boolean>;
  likeCount(postId: string): Promise<number>;
  hasLiked(postId: string, userId: string): Promise<boolean>;
}

/**
 * A subscriber sees new_post events published while subscribed: from the moment of subscribing,
 * and unsubscribing keeps what they already had. Both return false when nothing changed.
 */
export interface SubscriptionStore {
  subscribe(userId: string): Promise<boolean>;
  unsubscribe(userId: string): Promise<boolean>;
  isSubscribed(userId: string): Promise<boolean>;
  /** Users subscribed now; the realtime layer keeps per-user unread counters from it. */
  listSubscriberIds(): Promise<string[]>;
}

/** The inbox, derived on read from the events a user can see, and its read state. */
export interface InboxStore {
  /** afterSeq: oldest first; otherwise newest first (below beforeSeq when given); at most limit. */
  listInbox(userId: string, query: InboxQuery): Promise<InboxEntry[]>;
  /**
   * Count of events the user can see and has not read; with `upToSeq`, only those at or below it
   * (a catch-up's count must cover exactly its page's seqs, whatever commits while it is read).
   */
  unreadCount(userId: string, upToSeq?: number): Promise<number>;
  /** Returns the ids that were unread, visible to this user and are now read. Others are ignored. */
  markRead(userId: string, eventIds: string[]): Promise<string[]>;
  /** Marks everything up to the newest event the user can see; returns that seq. */
  markAllRead(userId: string): Promise<number>;
  /**
   * The newest seq issued so far (0 on an empty store). Synchronous, so a driver shared by several
   * nodes answers from a cached value that may trail another node's commit until `settled()`.
   */
  latestSeq(): number;
}

/** Notices an admin sends: ONE event each, to the subscribers or to one user (fan-out on read). */
export interface AnnouncementStore {
  announce(announcement: NewAnnouncement): Promise<EventRecord>;
}

/**
 * How many entry keys a feed remembers as seen: the newest ones, in the order seen. A feed
 * carries far fewer entries than this at once, so a forgotten key is one no feed carries any more.
 */
export const SEEN_KEYS_MAX = 5_000;

/**
 * Other blogs' feeds this blog follows, their polling state, and the keys of the entries seen, so
 * every entry becomes a post exactly once, whichever node polls and however often.
 */
export interface FeedStore {
  /**
   * Follows a feed; `seenKeys` (the entries it carries now) are recorded as seen, so they never
   * become posts. Rejects with ConflictError when this URL is already followed.
   */
  addFeed(feed: NewFeed, seenKeys: string[]): Promise<FeedRecord>;
  getFeed(id: string): Promise<FeedRecord | undefined>;
  /** Oldest first. */
  listFeeds(): Promise<FeedRecord[]>;
  /** Stops following it and forgets its seen keys; its posts stay. False when there was none. */
  removeFeed(id: string): Promise<boolean>;
  /** Feeds due (nextPollAt <= now) and not claimed by anyone now, soonest first. */
  listDueFeeds(now: Iso, limit: number): Promise<FeedRecord[]>;
  /**
   * Claims the feed for one poll until `until`, in one atomic step: undefined when it is gone or
   * someone's claim has not expired at `now`. With several nodes, only one of them polls a feed.
   */
  claimFeed(id: string, now: Iso, until: Iso): Promise<FeedRecord | undefined>;
  /**
   * Records a poll in one durable write: the feed's new state (releasing the claim), and for each
   * entry whose key was not seen before, a post by the feed's `addedBy` with its source, and ONE
   * new_post event (actorName: the feed's title, url: the original). Those keys become seen, so
   * the same entries recorded again publish nothing; each feed remembers its newest
   * SEEN_KEYS_MAX keys. Undefined when the feed is gone.
   */
  recordPoll(
    id: string,
    update: FeedPollUpdate,
    entries: ImportedEntry[],
  ): Promise<{ post: PostRecord; event: EventRecord }[] | undefined>;
}

export interface Store
  extends
    StoreLifecycle,
    AccountStore,
    PostStore,
    SubscriptionStore,
    InboxStore,
    AnnouncementStore,
    FeedStore {}

/** The mutating methods of each role: the ones that resolve only once durable (timed in metrics). */
export const MUTATING_METHODS = [
  'createUser',
  'setAuthor',
  'createToken',
  'touchToken',
  'revokeToken',
  'revokeAllTokens',
  'setRegistrationOpen',
  'publishPost',
  'updatePost',
  'deletePost',
  'addLike',
  'removeLike',
  'subscribe',
  'unsubscribe',
  'markRead',
  'markAllRead',
  'announce',
  'addFeed',
  'removeFeed',
  'claimFeed',
  'recordPoll',
] as const satisfies readonly (keyof Store)[];
