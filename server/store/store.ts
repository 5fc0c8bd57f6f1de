/**
 * The storage boundary. Domain code talks to this interface only; the lowdb driver
 * (server/store/lowdb/) is the default, and a PostgreSQL driver for several server nodes must be
 * able to slot in behind the same methods later.
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
 *   committed rows (PostgreSQL) resolves it at once.
 * - Fan-out on read: a new post is ONE event addressed to the subscribers; a like is ONE event
 *   addressed to the author. Nothing is copied per recipient. A user's inbox is derived from the
 *   events they can see; read state is a cursor plus the few seqs read out of order above it.
 * - `seq` is one global, strictly increasing counter over events, so it also increases per user.
 */

export type Iso = string;

export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  isAdmin: boolean;
  isAuthor: boolean;
  createdAt: Iso;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  isAdmin: boolean;
  isAuthor: boolean;
}

export interface TokenRecord {
  id: string;
  userId: string;
  /** sha256 of the token, hex. The token itself is never stored. */
  tokenHash: string;
  device: string;
  createdAt: Iso;
}

export interface PostRecord {
  id: string;
  authorId: string;
  title: string;
  body: string;
  /**
   * Plain text cut from the body when it was published or last edited, so lists never parse
   * bodies. Posts stored before excerpts existed have none until their next edit.
   */
  excerpt?: string;
  createdAt: Iso;
  updatedAt: Iso;
}

/** Who an event is addressed to. */
export type Audience = { kind: 'subscribers' } | { kind: 'user'; userId: string };

export interface EventRecord {
  seq: number;
  /** Public notification id, unique and stable. */
  id: string;
  type: 'new_post' | 'post_liked';
  createdAt: Iso;
  audience: Audience;
  actorId: string;
  postId: string;
  /** Snapshots, so a notification still reads right after the post or user changes. */
  postTitle: string;
  actorName: string;
}

/** An event as one user sees it. */
export interface InboxEntry {
  event: EventRecord;
  read: boolean;
}

export interface InboxQuery {
  /** Only events with seq > afterSeq (catch-up), oldest first. */
  afterSeq?: number;
  /** Only events with seq < beforeSeq (paging back), newest first. */
  beforeSeq?: number;
  limit: number;
}

export interface LikeResult {
  /** False when the user already liked the post: nothing changed. */
  created: boolean;
  /** The post_liked event, when one was recorded (never for self-likes or repeat likes). */
  event?: EventRecord;
}

export interface StoreStats {
  /** Size of the data on disk, in bytes. */
  bytes: number;
  users: number;
  posts: number;
  likes: number;
  events: number;
  /** Duration of the last durable write, in milliseconds. */
  lastWriteMs: number;
}

export interface Store {
  /** Loads the data. Rejects with CorruptDataError (never resets the file) or a setup error. */
  open(): Promise<void>;
  /** Persists pending changes and releases the data. */
  close(): Promise<void>;
  stats(): StoreStats;
  /** Never rejects; cheap when nothing is in flight. See the contract above. */
  settled(): Promise<void>;

  // users and tokens
  countUsers(): Promise<number>;
  /** Rejects with ConflictError when the username is taken (case-insensitively). */
  createUser(user: NewUser): Promise<UserRecord>;
  getUser(id: string): Promise<UserRecord | undefined>;
  findUserByUsername(username: string): Promise<UserRecord | undefined>;
  setAuthor(userId: string, isAuthor: boolean): Promise<UserRecord | undefined>;
  createToken(token: Omit<TokenRecord, 'id' | 'createdAt'>): Promise<TokenRecord>;
  findTokenByHash(tokenHash: string): Promise<TokenRecord | undefined>;
  revokeToken(tokenId: string): Promise<boolean>;
  /** Returns the number of tokens revoked. */
  revokeAllTokens(userId: string): Promise<number>;

  // settings an operator changes at runtime
  isRegistrationOpen(): Promise<boolean>;
  setRegistrationOpen(open: boolean): Promise<void>;

  // posts
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

  // likes
  /**
   * One like per user and post. Records a post_liked event for the author unless the liker is the
   * author, or this user's like of this post was already notified (like, unlike, like again).
   */
  addLike(postId: string, userId: string): Promise<LikeResult>;
  removeLike(postId: string, userId: string): Promise<boolean>;
  likeCount(postId: string): Promise<number>;
  hasLiked(postId: string, userId: string): Promise<boolean>;

  // subscriptions: a subscriber sees new_post events published while subscribed
  subscribe(userId: string): Promise<boolean>;
  unsubscribe(userId: string): Promise<boolean>;
  isSubscribed(userId: string): Promise<boolean>;
  /** Users subscribed now; the realtime layer keeps per-user unread counters from it. */
  listSubscriberIds(): Promise<string[]>;

  // the inbox, derived on read
  listInbox(userId: string, query: InboxQuery): Promise<InboxEntry[]>;
  /** Count of events the user can see and has not read. */
  unreadCount(userId: string): Promise<number>;
  /** Returns the ids that were unread, visible to this user and are now read. Others are ignored. */
  markRead(userId: string, eventIds: string[]): Promise<string[]>;
  /** Marks everything up to the newest event the user can see; returns that seq. */
  markAllRead(userId: string): Promise<number>;
  /** The newest seq issued so far (0 on an empty store). */
  latestSeq(): number;
}

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** The data file exists but cannot be used as it is. The file is left untouched. */
export class CorruptDataError extends Error {
  override readonly name = 'CorruptDataError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** A write did not reach the disk (disk full, read-only directory). Nothing changed. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}
