/**
 * The default storage driver: a JSON snapshot written through lowdb plus an append-only journal
 * of changes (one line per group commit), with every query answered from in-memory indexes.
 * docs/STORAGE.md explains the data model, the journal, group commit, durability and retention;
 * store.ts states the contract every driver keeps.
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
import { applyChange, type Change } from './changes.js';
import { emptyDocument, type StoreDocument } from './document.js';
import { DocumentFile } from './documentFile.js';
import { createGroupCommit } from './groupCommit.js';
import { JOURNAL_FILE_NAME, JournalFile, journalLine, parseJournal } from './journal.js';
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
  applyRetention,
  buildState,
  toDocument,
  type RetentionPolicy,
  type StoreState,
} from './state.js';

export { JOURNAL_FILE_NAME } from './journal.js';

export const DATA_FILE_NAME = 'tidings.json';
/** The last file that opened cleanly; docs/STORAGE.md says how to restore from it. */
export const BACKUP_FILE_NAME = 'tidings.json.bak';

export const DEFAULT_RETENTION: RetentionPolicy = { maxEventAgeDays: 90, maxEvents: 100_000 };

export interface LowdbStoreOptions {
  dataDir: string;
  /**
   * How long the first change waits for others to share its write, in ms (default 1). An append
   * to the journal is cheap, so waiting longer would only add latency; under load, changes made
   * while a write is in flight share the next one anyway.
   */
  commitWindowMs?: number;
  retention?: { maxEventAgeDays?: number; maxEvents?: number };
  /** The clock for timestamps and retention; tests pass their own. */
  clock?: () => Date;
  /**
   * Test seam: wraps the file every commit is written to (the journal; its `write` appends), e.g.
   * to count writes or to make one fail.
   */
  wrapFile?: (file: Adapter<string>) => Adapter<string>;
  /**
   * The journal is folded into a new snapshot once it holds this many bytes or as many as the
   * snapshot, whichever is more (default 16 MB), so it costs at most one more snapshot's worth of
   * writing and replay. 0 folds it at every commit: the snapshot alone is then always current
   * (the whole-file rewrite per commit of old; tests that read the snapshot itself use it).
   */
  compactAtBytes?: number;
}

const DEFAULT_COMPACT_AT_BYTES = 16 * 1024 * 1024;

export function createLowdbStore(options: LowdbStoreOptions): Store {
  const path = join(options.dataDir, DATA_FILE_NAME);
  const clock = options.clock ?? (() => new Date());
  const retention: RetentionPolicy = { ...DEFAULT_RETENTION, ...options.retention };
  const journalPath = join(options.dataDir, JOURNAL_FILE_NAME);
  const file = new DocumentFile(path, new TextFile(path));
  const realJournal = new JournalFile(journalPath);
  const journal = options.wrapFile?.(realJournal) ?? realJournal;
  const compactAtBytes = options.compactAtBytes ?? DEFAULT_COMPACT_AT_BYTES;
  const db = new Low<StoreDocument>(file, emptyDocument());
  let state: StoreState = buildState(emptyDocument());
  let phase: 'new' | 'open' | 'closed' = 'new';
  /** Changes applied in memory and not yet handed to a write. */
  let pending: Change[] = [];
  /** The commits in the journal on disk, kept to rebuild memory after a failed write. */
  let journaled: Change[][] = [];
  /** The newest commit number given out; the snapshot and every journal line carry theirs. */
  let commitNo = 0;
  let compactNext = false;
  let lastWriteMs = 0;

  /** Writes everything in memory as the new snapshot, then empties the journal. */
  const writeSnapshot = async (): Promise<void> => {
    db.data = { ...toDocument(state), commit: commitNo };
    await db.write();
    journaled = [];
    // The snapshot holds every commit the journal does and says so (`commit`), so a journal
    // that could not be removed is merely skipped at open; the commits stand.
    await realJournal.clear().catch(() => undefined);
  };

  const commits = createGroupCommit({
    windowMs: options.commitWindowMs ?? 1,
    write: async () => {
      const started = performance.now();
      applyRetention(state, retention, clock());
      commitNo += 1;
      const changes = pending;
      pending = [];
      const compact =
        compactNext ||
        compactAtBytes === 0 ||
        realJournal.bytes >= Math.max(compactAtBytes, file.bytes);
      compactNext = false;
      if (compact) {
        await writeSnapshot();
      } else {
        await journal.write(journalLine({ commit: commitNo, changes }));
        journaled.push(changes);
      }
      lastWriteMs = performance.now() - started;
    },
    recover: (cause) => {
      // What is on disk is the truth: drop every change that did not make it there. The snapshot
      // text and the journaled changes were written (or read and checked) by this process, so
      // rebuilding from them cannot fail.
      pending = [];
      state = buildState(file.lastWritten() ?? emptyDocument());
      for (const changes of journaled) for (const change of changes) applyChange(state, change);
      applyRetention(state, retention, clock());
      return new StorageUnavailableError(`could not write ${journalPath}: ${describeError(cause)}`);
    },
  });

  /** Applies changes in memory now; the next group commit writes them. */
  const change = (...changes: Change[]): void => {
    for (const one of changes) {
      applyChange(state, one);
      pending.push(one);
    }
  };

  const now = (): string => clock().toISOString();

  /** Every mutating method calls ensureOpen() first, changes memory, then awaits this. */
  const persist = (): Promise<void> => commits.commit();

  const ensureOpen = (): void => {
    if (phase !== 'open') throw new Error(`the store is ${phase}, not open`);
  };

  const recordEvent = (event: Omit<EventRecord, 'seq' | 'id' | 'createdAt'>): EventRecord => {
    const record: EventRecord = {
      seq: state.latestSeq + 1,
      id: newId(),
      createdAt: now(),
      ...event,
    };
    change(['event', record]);
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
    change(['user', updated]);
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
      let journalText: string | null;
      try {
        await db.read();
        journalText = await realJournal.read();
      } catch (error) {
        if (error instanceof CorruptDataError) throw error;
        throw new StorageUnavailableError(`cannot read ${path}: ${describeError(error)}`);
      }
      const existing = file.lastText();
      state = buildState(db.data);
      commitNo = db.data.commit ?? 0;
      // Everything is checked before anything is written: a bad journal leaves both files as
      // they were.
      for (const entry of parseJournal(journalText ?? '', journalPath, commitNo)) {
        for (const one of entry.changes) {
          if (one[0] === 'event' && one[1].seq <= state.latestSeq) {
            throw new CorruptDataError(
              journalPath,
              `commit ${entry.commit}: seq ${one[1].seq} is not new`,
            );
          }
          applyChange(state, one);
        }
        commitNo = entry.commit;
      }
      applyRetention(state, retention, clock());
      try {
        // Every write goes through steno (temp file + rename), so they also prove the directory
        // is writable now rather than at the first post. A journal is folded into a fresh
        // snapshot, which is then the version known to open and so the backup.
        if (existing === undefined || journalText !== null) await writeSnapshot();
        if (existing !== undefined) {
          await new TextFile(join(options.dataDir, BACKUP_FILE_NAME)).write(
            file.lastText() ?? existing,
          );
        }
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
      if (realJournal.bytes > 0) {
        // A clean stop leaves one tidy snapshot. Through the group commit, so no append can
        // interleave; if it fails, the journal still holds everything and the next open folds it.
        compactNext = true;
        await commits.commit().catch(() => undefined);
      }
      phase = 'closed';
    },

    settled() {
      // Every mutating method asks for its commit in the same turn as it changes memory, so the
      // group commit knows every change not yet on disk.
      return commits.settled();
    },

    stats() {
      return {
        bytes: file.bytes + realJournal.bytes,
        users: state.users.size,
        posts: state.posts.size,
        likes: [...state.likes.values()].reduce((sum, likers) => sum + likers.size, 0),
        events: state.events.length,
        lastWriteMs,
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
      change(['user', record]);
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
      change(['token', record]);
      await persist();
      return record;
    },

    async findTokenByHash(tokenHash) {
      const id = state.tokenIdByHash.get(tokenHash);
      return id === undefined ? undefined : state.tokens.get(id);
    },

    async revokeToken(tokenId) {
      ensureOpen();
      if (!state.tokens.has(tokenId)) return false;
      change(['tokenDeleted', tokenId]);
      await persist();
      return true;
    },

    async revokeAllTokens(userId) {
      ensureOpen();
      const ids = [...(state.tokenIdsByUser.get(userId) ?? [])];
      change(...ids.map((id): Change => ['tokenDeleted', id]));
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
      change(['registrationOpen', open]);
      await persist();
    },

    // posts ----------------------------------------------------------------------------------
    async publishPost(input) {
      ensureOpen();
      const author = state.users.get(input.authorId);
      if (!author) throw new Error(`publishPost: no user with id ${input.authorId}`);
      const at = now();
      const post: PostRecord = { id: newId(), ...input, createdAt: at, updatedAt: at };
      change(['post', post]);
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
        ...((patch.excerpt ?? post.excerpt) === undefined
          ? {}
          : { excerpt: patch.excerpt ?? post.excerpt }),
        updatedAt: now(),
      };
      change(['post', updated]);
      await persist();
      return updated;
    },

    async deletePost(id) {
      ensureOpen();
      if (!state.posts.has(id)) return false;
      change(['postDeleted', id]);
      await persist();
      return true;
    },

    // likes ----------------------------------------------------------------------------------
    async addLike(postId, userId): Promise<LikeResult> {
      ensureOpen();
      const post = state.posts.get(postId);
      // A post deleted a moment ago is not an error worth a 500: nothing to like, nothing changes.
      if (!post || state.likes.get(postId)?.has(userId)) return { created: false };
      const alreadyNotified = state.notifiedUnlikes.get(postId)?.has(userId) ?? false;
      change(['like', postId, userId]);
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
      if (!state.likes.get(postId)?.has(userId)) return false;
      change(['unlike', postId, userId]);
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
      change(['spans', userId, spans]);
      await persist();
      return true;
    },

    async unsubscribe(userId) {
      ensureOpen();
      const spans = endSubscription(state.subscriptions.get(userId) ?? [], state.latestSeq);
      if (!spans) return false;
      change(['spans', userId, spans]);
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
      change(['readState', userId, withReadSeqs(state, userId, read, [...marked.values()])]);
      await persist();
      return [...marked.keys()];
    },

    async markAllRead(userId) {
      ensureOpen();
      const read = readStateOf(state, userId);
      const newest = newestVisibleSeq(state, userId) ?? 0;
      if (newest <= read.cursor) return read.cursor;
      change(['readState', userId, { cursor: newest, above: [] }]);
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
