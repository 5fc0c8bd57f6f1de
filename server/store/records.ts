/**
 * What the storage layer stores and returns, and the errors it throws: plain data, shared by every
 * driver and by the domain code. The interfaces that read and write them are in store.ts.
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
  /**
   * When the token was last used, to within a few minutes (recording every request would make
   * every request a write). Absent until its first recorded use: then createdAt stands in.
   */
  lastUsedAt?: Iso;
}

/**
 * The setup code of a store without accounts (server/domain/setupCode.ts), as the store keeps it:
 * a digest, never the code itself, with who issued it and when.
 */
export interface SetupCodeRecord {
  /** setupCodeDigest(code), hex. */
  digest: string;
  /** The node that made it (its log printed the code): host name and process id. */
  issuedBy: string;
  issuedAt: Iso;
}

export interface PostRecord {
  id: string;
  authorId: string;
  title: string;
  /** Markdown; for a post imported from a feed, HTML that was sanitised before it was stored. */
  body: string;
  /**
   * Plain text cut from the body when it was published or last edited, so lists never parse
   * bodies. Posts stored before excerpts existed have none until their next edit.
   */
  excerpt?: string;
  createdAt: Iso;
  updatedAt: Iso;
  /** Only on posts imported from another blog's feed. */
  source?: PostSource;
}

/** Where an imported post came from. */
export interface PostSource {
  feedId: string;
  /** The feed's title when the entry was imported. */
  feedTitle: string;
  /** The original article (http(s)). */
  url: string;
}

/** Who an event is addressed to. */
export type Audience = { kind: 'subscribers' } | { kind: 'user'; userId: string };

export interface EventRecord {
  seq: number;
  /** Public notification id, unique and stable. */
  id: string;
  type: 'new_post' | 'post_liked' | 'announcement';
  createdAt: Iso;
  audience: Audience;
  /** The author, the liker, or the admin who sent the announcement. */
  actorId: string;
  /** '' for an announcement. */
  postId: string;
  /**
   * Snapshots, so a notification still reads right after the post or user changes. For an
   * announcement, postTitle is its title; for an imported post, actorName is the feed's title.
   */
  postTitle: string;
  actorName: string;
  /** Where a click leads when it is not the post's page: an imported post's original, an announcement's link. */
  url?: string;
  /** An announcement's short text. */
  text?: string;
}

/** What an admin sends; stored as ONE event, like a post. */
export interface NewAnnouncement {
  actorId: string;
  actorName: string;
  title: string;
  text?: string;
  url?: string;
  audience: Audience;
}

/** A followed feed and the state of its polling. */
export interface FeedRecord {
  id: string;
  url: string;
  title: string;
  /** The admin who added it: imported posts are published in their name. */
  addedBy: string;
  createdAt: Iso;
  status: 'ok' | 'failing';
  /** Why the last poll failed, for the admin page; absent after a success. */
  lastError?: string;
  /** Consecutive failed polls, for the backoff. */
  failures: number;
  lastPolledAt?: Iso;
  nextPollAt: Iso;
  /** Validators from the feed's last answer, sent back for a conditional GET. */
  etag?: string;
  lastModified?: string;
  /** While a node polls the feed, nobody else does; a claim expires by itself after a crash. */
  claimedUntil?: Iso;
}

export type NewFeed = Pick<FeedRecord, 'url' | 'title' | 'addedBy' | 'nextPollAt'> &
  Partial<Pick<FeedRecord, 'etag' | 'lastModified' | 'lastPolledAt'>>;

/** A poll's outcome for the feed itself; it also releases the claim. */
export type FeedPollUpdate = Pick<FeedRecord, 'title' | 'status' | 'failures' | 'nextPollAt'> &
  Partial<Pick<FeedRecord, 'lastError' | 'lastPolledAt' | 'etag' | 'lastModified'>>;

/** An entry of a followed feed, ready to become a post. */
export interface ImportedEntry {
  /** id or guid, else the link: how the entry is recognised on later polls. */
  key: string;
  title: string;
  /** Sanitised. */
  html: string;
  /** Plain text: the first words of the entry. */
  excerpt: string;
  /** The original article. */
  url: string;
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
  /** lowdb: journal folds that failed since open (the store serves on; docs/STORAGE.md). */
  foldsFailed?: number;
  /** lowdb: duration of the last journal fold in its worker thread, in milliseconds. */
  lastFoldMs?: number;
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
