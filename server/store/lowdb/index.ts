/**
 * The default storage driver: one JSON file written through lowdb, with every query answered from
 * in-memory indexes. docs/STORAGE.md explains the data model, group commit, durability and
 * retention; store.ts states the contract every driver keeps.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { TextFile } from 'lowdb/node';
import {
  ConflictError,
  CorruptDataError,
  StorageUnavailableError,
  type EventRecord,
  type LikeResult,
  type PostRecord,
  type Store,
  type TokenRecord,
  type UserRecord,
} from '../store.js';
import {
  endSubscription,
  canSee,
  isSubscribedNow,
  likeNotifiesAuthor,
  startSubscription,
} from '../../domain/fanout.js';
import { emptyDocument, type StoreDocument } from './document.js';
import { DocumentFile } from './documentFile.js';
import { createGroupCommit } from './groupCommit.js';
import { newId } from './ids.js';
import {
  isRead,
  listInbox,
  newestVisibleSeq,
  readStateOf,
  unreadCount,
  withReadSeqs,
} from './inbox.js';
import {
  addToSetMap,
  appendEvent,
  applyRetention,
  buildState,
  deleteToken,
  putToken,
  putUser,
  removeFromSetMap,
  toDocument,
  type RetentionPolicy,
  type StoreState,
} from './state.js';

export const DATA_FILE_NAME = 'tidings.json';
/** The last file that opened cleanly; docs/STORAGE.md says how to restore from it. */
export const BACKUP_FILE_NAME = 'tidings.json.bak';

export const DEFAULT_RETENTION: RetentionPolicy = { maxEventAgeDays: 90, maxEvents: 100_000 };

export interface LowdbStoreOptions {
  dataDir: string;
  /** How long the first change waits for others to share its write, in ms (default 5). */
  commitWindowMs?: number;
  retention?: { maxEventAgeDays?: number; maxEvents?: number };
  /** The clock for timestamps and retention; tests pass their own. */
  clock?: () => Date;
  /** Test seam: wraps the real data file, e.g. to count writes or to make one fail. */
  wrapFile?: (file: Adapter<string>) => Adapter<string>;
}

export function createLowdbStore(options: LowdbStoreOptions): Store {
  const path = join(options.dataDir, DATA_FILE_NAME);
  const clock = options.clock ?? (() => new Date());
  const retention: RetentionPolicy = { ...DEFAULT_RETENTION, ...options.retention };
  const realFile = new TextFile(path);
  const file = new DocumentFile(path, options.wrapFile?.(realFile) ?? realFile);
  const db = new Low<StoreDocument>(file, emptyDocument());
  let state: StoreState = buildState(emptyDocument());
  let phase: 'new' | 'open' | 'closed' = 'new';

  const commits = createGroupCommit({
    windowMs: options.commitWindowMs ?? 5,
    write: () => {
      applyRetention(state, retention, clock());
      db.data = toDocument(state);
      return db.write();
    },
    recover: (cause) => {
      // What is on disk is the truth: drop every change that did not make it there. The text was
      // written (or read and checked) by this process, so rebuilding from it cannot fail.
      state = buildState(file.lastWritten() ?? emptyDocument());
      return new StorageUnavailableError(`could not write ${path}: ${describeError(cause)}`);
    },
  });

  const now = (): string => clock().toISOString();

  /** Every mutating method calls ensureOpen() first, changes memory, then awaits this. */
  const persist = (): Promise<void> => commits.commit();

  const ensureOpen = (): void => {
    if (phase !== 'open') throw new Error(`the store is ${phase}, not open`);
  };

  const recordEvent = (event: Omit<EventRecord, 'seq' | 'id' | 'createdAt'>): EventRecord => {
    state.latestSeq += 1;
    const record: EventRecord = { seq: state.latestSeq, id: newId(), createdAt: now(), ...event };
    appendEvent(state, record);
    return record;
  };

  const replaceUser = async (
    userId: string,
    patch: Partial<UserRecord>,
  ): Promise<UserRecord | undefined> => {
    ensureOpen();
    const user = state.users.get(userId);
    if (!user) return undefined;
    const updated = { ...user, ...patch };
    putUser(state, updated);
    await persist();
    return updated;
  };

  return {
    async open() {
      if (phase !== 'new') throw new Error('the store was already opened');
      try {
        await mkdir(options.dataDir, { recursive: true });
      } catch (error) {
        throw new StorageUnavailableError(
          `cannot use data directory ${options.dataDir}: ${describeError(error)}`,
        );
      }
      try {
        await db.read();
      } catch (error) {
        if (error instanceof CorruptDataError) throw error;
        throw new StorageUnavailableError(`cannot read ${path}: ${describeError(error)}`);
      }
      const existing = file.lastText();
      state = buildState(db.data);
      applyRetention(state, retention, clock());
      try {
        // Both writes go through steno (temp file + rename), so they also prove the directory
        // is writable now rather than at the first post.
        if (existing === undefined) await db.write();
        else await new TextFile(join(options.dataDir, BACKUP_FILE_NAME)).write(existing);
      } catch (error) {
        throw new StorageUnavailableError(
          `cannot write to data directory ${options.dataDir}: ${describeError(error)}`,
        );
      }
      phase = 'open';
    },

    async close() {
      if (phase !== 'open') return;
      await commits.drain();
      phase = 'closed';
    },

    stats() {
      return {
        bytes: file.bytes,
        users: state.users.size,
        posts: state.posts.size,
        likes: [...state.likes.values()].reduce((sum, likers) => sum + likers.size, 0),
        events: state.events.length,
        lastWriteMs: file.lastWriteMs,
      };
    },

    // users and tokens ----------------------------------------------------------------------
    async countUsers() {
      return state.users.size;
    },

    async createUser(user) {
      ensureOpen();
      if (state.userIdByName.has(user.username.toLowerCase())) {
        throw new ConflictError(`the username "${user.username}" is taken`);
      }
      const record: UserRecord = { id: newId(), ...user, createdAt: now() };
      putUser(state, record);
      await persist();
      return record;
    },

    async getUser(id) {
      return state.users.get(id);
    },

    async findUserByUsername(username) {
      const id = state.userIdByName.get(username.toLowerCase());
      return id === undefined ? undefined : state.users.get(id);
    },

    async setAuthor(userId, isAuthor) {
      const user = state.users.get(userId);
      if (user?.isAuthor === isAuthor) return user;
      return replaceUser(userId, { isAuthor });
    },

    async createToken(token) {
      ensureOpen();
      const record: TokenRecord = { id: newId(), ...token, createdAt: now() };
      putToken(state, record);
      await persist();
      return record;
    },

    async findTokenByHash(tokenHash) {
      const id = state.tokenIdByHash.get(tokenHash);
      return id === undefined ? undefined : state.tokens.get(id);
    },

    async revokeToken(tokenId) {
      ensureOpen();
      if (!deleteToken(state, tokenId)) return false;
      await persist();
      return true;
    },

    async revokeAllTokens(userId) {
      ensureOpen();
      const ids = [...(state.tokenIdsByUser.get(userId) ?? [])];
      for (const id of ids) deleteToken(state, id);
      state.tokenIdsByUser.delete(userId);
      if (ids.length > 0) await persist();
      return ids.length;
    },

    // settings -------------------------------------------------------------------------------
    async isRegistrationOpen() {
      return state.registrationOpen;
    },

    async setRegistrationOpen(open) {
      ensureOpen();
      if (state.registrationOpen === open) return;
      state.registrationOpen = open;
      await persist();
    },

    // posts ----------------------------------------------------------------------------------
    async publishPost(input) {
      ensureOpen();
      const author = state.users.get(input.authorId);
      if (!author) throw new Error(`publishPost: no user with id ${input.authorId}`);
      const at = now();
      const post: PostRecord = { id: newId(), ...input, createdAt: at, updatedAt: at };
      state.posts.set(post.id, post);
      state.postOrder.push(post.id);
      const event = recordEvent({
        type: 'new_post',
        audience: { kind: 'subscribers' },
        actorId: author.id,
        postId: post.id,
        postTitle: post.title,
        actorName: author.username,
      });
      await persist();
      return { post, event };
    },

    async getPost(id) {
      return state.posts.get(id);
    },

    async listPosts(offset, limit) {
      const total = state.postOrder.length;
      const items: PostRecord[] = [];
      for (let i = total - 1 - Math.max(0, offset); i >= 0 && items.length < limit; i--) {
        const post = state.posts.get(state.postOrder[i] as string);
        if (post) items.push(post);
      }
      return { items, total };
    },

    async updatePost(id, patch) {
      ensureOpen();
      const post = state.posts.get(id);
      if (!post) return undefined;
      const updated: PostRecord = {
        ...post,
        title: patch.title ?? post.title,
        body: patch.body ?? post.body,
        updatedAt: now(),
      };
      state.posts.set(id, updated);
      await persist();
      return updated;
    },

    async deletePost(id) {
      ensureOpen();
      if (!state.posts.delete(id)) return false;
      state.postOrder.splice(state.postOrder.lastIndexOf(id), 1);
      state.likes.delete(id);
      state.notifiedUnlikes.delete(id);
      await persist();
      return true;
    },

    // likes ----------------------------------------------------------------------------------
    async addLike(postId, userId): Promise<LikeResult> {
      ensureOpen();
      const post = state.posts.get(postId);
      // A post deleted a moment ago is not an error worth a 500: nothing to like, nothing changes.
      if (!post || state.likes.get(postId)?.has(userId)) return { created: false };
      addToSetMap(state.likes, postId, userId);
      const alreadyNotified = removeFromSetMap(state.notifiedUnlikes, postId, userId);
      const liker = state.users.get(userId);
      const event = likeNotifiesAuthor({
        likerId: userId,
        authorId: post.authorId,
        alreadyNotified,
      })
        ? recordEvent({
            type: 'post_liked',
            audience: { kind: 'user', userId: post.authorId },
            actorId: userId,
            postId,
            postTitle: post.title,
            actorName: liker?.username ?? userId,
          })
        : undefined;
      await persist();
      return event ? { created: true, event } : { created: true };
    },

    async removeLike(postId, userId) {
      ensureOpen();
      if (!removeFromSetMap(state.likes, postId, userId)) return false;
      // Every standing like by someone other than the author was notified; remember that, so
      // liking again stays silent.
      if (state.posts.get(postId)?.authorId !== userId) {
        addToSetMap(state.notifiedUnlikes, postId, userId);
      }
      await persist();
      return true;
    },

    async likeCount(postId) {
      return state.likes.get(postId)?.size ?? 0;
    },

    async hasLiked(postId, userId) {
      return state.likes.get(postId)?.has(userId) ?? false;
    },

    // subscriptions --------------------------------------------------------------------------
    async subscribe(userId) {
      ensureOpen();
      const spans = startSubscription(state.subscriptions.get(userId) ?? [], state.latestSeq);
      if (!spans) return false;
      state.subscriptions.set(userId, spans);
      await persist();
      return true;
    },

    async unsubscribe(userId) {
      ensureOpen();
      const spans = endSubscription(state.subscriptions.get(userId) ?? [], state.latestSeq);
      if (!spans) return false;
      if (spans.length === 0) state.subscriptions.delete(userId);
      else state.subscriptions.set(userId, spans);
      await persist();
      return true;
    },

    async isSubscribed(userId) {
      return isSubscribedNow(state.subscriptions.get(userId) ?? []);
    },

    async listSubscriberIds() {
      return [...state.subscriptions]
        .filter(([, spans]) => isSubscribedNow(spans))
        .map(([userId]) => userId);
    },

    // the inbox ------------------------------------------------------------------------------
    async listInbox(userId, query) {
      return listInbox(state, userId, { ...query, limit: Math.max(0, query.limit) });
    },

    async unreadCount(userId) {
      return unreadCount(state, userId);
    },

    async markRead(userId, eventIds) {
      ensureOpen();
      const read = readStateOf(state, userId);
      const spans = state.subscriptions.get(userId) ?? [];
      const marked = new Map<string, number>();
      for (const id of eventIds) {
        const event = state.eventsById.get(id);
        // Unknown, someone else's, or already read: ignored, so nobody can touch another inbox.
        if (!event || !canSee(event, userId, spans) || isRead(read, event.seq)) continue;
        marked.set(id, event.seq);
      }
      if (marked.size === 0) return [];
      state.readState.set(userId, withReadSeqs(state, userId, read, [...marked.values()]));
      await persist();
      return [...marked.keys()];
    },

    async markAllRead(userId) {
      ensureOpen();
      const read = readStateOf(state, userId);
      const newest = newestVisibleSeq(state, userId) ?? 0;
      if (newest <= read.cursor) return read.cursor;
      state.readState.set(userId, { cursor: newest, above: [] });
      await persist();
      return newest;
    },

    latestSeq() {
      return state.latestSeq;
    },
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
