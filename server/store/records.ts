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
