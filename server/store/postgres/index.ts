/**
 * The PostgreSQL storage driver, for several server nodes on one database (the `pg` client). It
 * keeps store.ts's contract: every mutating method is one transaction and resolves after COMMIT;
 * a failure rolls back and rejects (StorageUnavailableError when the database is the reason);
 * reads see committed rows only, so `settled()` waits for nothing but a fresh `latestSeq()`.
 * Nothing is held in memory but the newest seq (latestSeq.ts) and the figures `stats()` reports.
 * docs/STORAGE.md ("PostgreSQL") explains the schema, seq order and the fan-out queries.
 */
import {
  ConflictError,
  type EventRecord,
  type FeedRecord,
  type LikeResult,
  type PostRecord,
  type Store,
  type StoreStats,
  type TokenRecord,
  type UserRecord,
} from '../store.js';
import {
  endSubscription,
  likeNotifiesAuthor,
  startSubscription,
  type SubscriptionSpan,
} from '../visibility.js';
import { newId } from '../lowdb/ids.js';
import { toStorageError } from './errors.js';
import { openDatabase, type Database, type Queryable } from './database.js';
import {
  readStateOf,
  toInboxEntry,
  unreadCountOf,
  visibleAmong,
  visibleEventRows,
  visibleSeqsAfter,
} from './inboxQueries.js';
import { createLatestSeq, REVOKED_CHANNEL, SEQ_CHANNEL, type Revocation } from './latestSeq.js';
import { USER_LOCK_SPACE } from './locks.js';
import { migrate } from './migrate.js';
import { isRead, withReadSeqs } from './readState.js';
import { applyRetention, type RetentionPolicy } from './retention.js';
import { DEFAULT_RETENTION } from '../lowdb/index.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** The clock for timestamps; tests pass their own. */
  clock?: () => Date;
  /** Pool size (default 10). */
  maxConnections?: number;
  /** Errors nobody awaits (an idle connection dropped); logged, never fatal. */
  onBackgroundError?: (error: Error) => void;
  /** As lowdb's (DEFAULT_RETENTION): 90 days, 100,000 events. */
  retention?: Partial<RetentionPolicy>;
  /**
   * Told of every token revocation committed on this database, by this process or another (a
   * node, an admin command), so a node can drop the sockets those tokens opened.
   */
  onTokensRevoked?: (revocation: Revocation) => void;
}

const STATS_REFRESH_MS = 15_000;
/** Retention runs at open and then this often (it is a range delete on the oldest events). */
const RETENTION_EVERY_MS = 60 * 60 * 1000;

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  is_admin: boolean;
  is_author: boolean;
  created_at: Date;
}

interface TokenRow {
  id: string;
  user_id: string;
  token_hash: string;
  device: string;
  created_at: Date;
  last_used_at: Date | null;
}

interface PostRow {
  id: string;
  author_id: string;
  title: string;
  body: string;
  excerpt: string | null;
  created_at: Date;
  updated_at: Date;
  source_feed_id: string | null;
  source_feed_title: string | null;
  source_url: string | null;
}

const USER_COLUMNS = 'id, username, password_hash, is_admin, is_author, created_at';
const TOKEN_COLUMNS = 'id, user_id, token_hash, device, created_at, last_used_at';
const POST_COLUMNS =
  'id, author_id, title, body, excerpt, created_at, updated_at, source_feed_id, source_feed_title, source_url';

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  isAdmin: row.is_admin,
  isAuthor: row.is_author,
  createdAt: row.created_at.toISOString(),
});

const toToken = (row: TokenRow): TokenRecord => ({
  id: row.id,
  userId: row.user_id,
  tokenHash: row.token_hash,
  device: row.device,
  createdAt: row.created_at.toISOString(),
  ...(row.last_used_at ? { lastUsedAt: row.last_used_at.toISOString() } : {}),
});

const toPost = (row: PostRow): PostRecord => ({
  id: row.id,
  authorId: row.author_id,
  title: row.title,
  body: row.body,
  ...(row.excerpt === null ? {} : { excerpt: row.excerpt }),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  ...(row.source_feed_id === null
    ? {}
    : {
        source: {
          feedId: row.source_feed_id,
          feedTitle: row.source_feed_title ?? '',
          url: row.source_url ?? '',
        },
      }),
});

interface FeedRow {
  id: string;
  url: string;
  title: string;
  added_by: string;
  created_at: Date;
  status: 'ok' | 'failing';
  last_error: string | null;
  failures: number;
  last_polled_at: Date | null;
  next_poll_at: Date;
  etag: string | null;
  last_modified: string | null;
  claimed_until: Date | null;
}

const FEED_COLUMNS =
  'id, url, title, added_by, created_at, status, last_error, failures, last_polled_at, next_poll_at, etag, last_modified, claimed_until';

const toFeed = (row: FeedRow): FeedRecord => ({
  id: row.id,
  url: row.url,
  title: row.title,
  addedBy: row.added_by,
  createdAt: row.created_at.toISOString(),
  status: row.status,
  ...(row.last_error === null ? {} : { lastError: row.last_error }),
  failures: row.failures,
  ...(row.last_polled_at === null ? {} : { lastPolledAt: row.last_polled_at.toISOString() }),
  nextPollAt: row.next_poll_at.toISOString(),
  ...(row.etag === null ? {} : { etag: row.etag }),
  ...(row.last_modified === null ? {} : { lastModified: row.last_modified }),
  ...(row.claimed_until === null ? {} : { claimedUntil: row.claimed_until.toISOString() }),
});

/** The same key lowdb uses: usernames are unique case-insensitively. */
const usernameKey = (username: string): string => username.toLowerCase();

/** Delivered to every node at COMMIT (latestSeq.ts listens). */
const announceRevocation = (client: Queryable, revocation: Revocation) =>
  client.query('SELECT pg_notify($1, $2)', [REVOKED_CHANNEL, JSON.stringify(revocation)]);

/** One user's read state and subscription spans change one transaction at a time. */
const lockUser = (client: Queryable, userId: string) =>
  client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [USER_LOCK_SPACE, userId]);

/**
 * Issues the next seq. The UPDATE locks event_seq's one row until this transaction ends, so the
 * next seq is issued only after this one committed (or rolled back, and then it is reused):
 * seqs become visible in order and catch-up by `since` never skips one. The notification tells
 * the other nodes' latestSeq() at commit.
 */
async function nextSeq(client: Queryable): Promise<number> {
  const { rows } = await client.query<{ latest_seq: number }>(
    'UPDATE event_seq SET latest_seq = latest_seq + 1 RETURNING latest_seq',
  );
  const seq = rows[0]?.latest_seq;
  if (seq === undefined) throw new Error('event_seq has no row: the schema is incomplete');
  await client.query('SELECT pg_notify($1, $2)', [SEQ_CHANNEL, String(seq)]);
  return seq;
}

/**
 * The newest seq issued, read so that it waits for a publish in flight: spans that start or end
 * at it then agree with the seqs the publishing transaction holds.
 */
async function lockedLatestSeq(client: Queryable): Promise<number> {
  const { rows } = await client.query<{ latest_seq: number }>(
    'SELECT latest_seq FROM event_seq FOR SHARE',
  );
  return rows[0]?.latest_seq ?? 0;
}

async function insertEvent(
  client: Queryable,
  event: Omit<EventRecord, 'seq' | 'id'>,
): Promise<EventRecord> {
  const record: EventRecord = { seq: await nextSeq(client), id: newId(), ...event };
  await client.query(
    `INSERT INTO events (seq, id, type, created_at, audience_user_id, actor_id, post_id,
                         post_title, actor_name, url, text)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      record.seq,
      record.id,
      record.type,
      record.createdAt,
      record.audience.kind === 'user' ? record.audience.userId : null,
      record.actorId,
      record.postId,
      record.postTitle,
      record.actorName,
      record.url ?? null,
      record.text ?? null,
    ],
  );
  return record;
}

async function spansOf(client: Queryable, userId: string): Promise<SubscriptionSpan[]> {
  const { rows } = await client.query<{ from_seq: number; to_seq: number | null }>(
    'SELECT from_seq, to_seq FROM subscription_spans WHERE user_id = $1 ORDER BY from_seq',
    [userId],
  );
  return rows.map((row) => [row.from_seq, row.to_seq] as const);
}

async function replaceSpans(
  client: Queryable,
  userId: string,
  spans: readonly SubscriptionSpan[],
): Promise<void> {
  await client.query('DELETE FROM subscription_spans WHERE user_id = $1', [userId]);
  if (spans.length === 0) return;
  await client.query(
    `INSERT INTO subscription_spans (user_id, from_seq, to_seq)
     SELECT $1, f, t FROM unnest($2::bigint[], $3::bigint[]) AS s(f, t)`,
    [userId, spans.map(([from]) => from), spans.map(([, to]) => to)],
  );
}

async function saveReadState(
  client: Queryable,
  userId: string,
  read: { cursor: number; above: number[] },
): Promise<void> {
  await client.query(
    `INSERT INTO read_state (user_id, cursor_seq, above) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET cursor_seq = excluded.cursor_seq, above = excluded.above`,
    [userId, read.cursor, read.above],
  );
}

export function createPostgresStore(options: PostgresStoreOptions): Store {
  const clock = options.clock ?? (() => new Date());
  const now = (): string => clock().toISOString();
  const report = (error: Error) => options.onBackgroundError?.(error);
  const db: Database = openDatabase({
    connectionString: options.connectionString,
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    onIdleError: report,
  });
  const latest = createLatestSeq(db, options.connectionString, options.onTokensRevoked);
  let phase: 'new' | 'open' | 'closed' = 'new';
  let figures: StoreStats = { bytes: 0, users: 0, posts: 0, likes: 0, events: 0, lastWriteMs: 0 };
  let statsTimer: NodeJS.Timeout | undefined;
  let retentionTimer: NodeJS.Timeout | undefined;
  const retention: RetentionPolicy = { ...DEFAULT_RETENTION, ...options.retention };
  const retain = async (): Promise<void> => {
    const dropped = await db.transaction((client) => applyRetention(client, retention, clock()));
    if (dropped > 0) figures = { ...figures, events: Math.max(0, figures.events - dropped) };
  };

  const ensureOpen = (): void => {
    if (phase !== 'open') throw new Error(`the store is ${phase}, not open`);
  };

  /** A mutating method's one transaction, timed for stats().lastWriteMs. */
  const write = async <T>(work: (client: Queryable) => Promise<T>): Promise<T> => {
    ensureOpen();
    const started = performance.now();
    const result = await db.transaction(work);
    figures = { ...figures, lastWriteMs: performance.now() - started };
    return result;
  };

  const refreshStats = async (): Promise<void> => {
    const { rows } = await db.query<Omit<StoreStats, 'lastWriteMs'>>(
      `SELECT pg_database_size(current_database()) AS bytes,
              (SELECT count(*) FROM users) AS users,
              (SELECT count(*) FROM posts) AS posts,
              (SELECT count(*) FROM likes) AS likes,
              (SELECT count(*) FROM events) AS events`,
    );
    const row = rows[0];
    if (row) figures = { ...row, lastWriteMs: figures.lastWriteMs };
  };

  /** This node's own writes move the figures at once; refreshStats() catches up with others'. */
  const count = (change: Partial<Omit<StoreStats, 'bytes' | 'lastWriteMs'>>): void => {
    figures = {
      ...figures,
      users: figures.users + (change.users ?? 0),
      posts: figures.posts + (change.posts ?? 0),
      likes: figures.likes + (change.likes ?? 0),
      events: figures.events + (change.events ?? 0),
    };
  };

  const firstUser = async (sql: string, params: unknown[]): Promise<UserRecord | undefined> => {
    const { rows } = await db.query<UserRow>(sql, params);
    return rows[0] && toUser(rows[0]);
  };

  return {
    async open() {
      if (phase !== 'new') throw new Error('the store was already opened');
      try {
        await migrate(db.pool);
        await latest.start();
        await retain();
        await refreshStats();
      } catch (error) {
        phase = 'closed';
        await latest.stop();
        await db.end().catch(() => undefined);
        throw toStorageError(error);
      }
      statsTimer = setInterval(() => {
        refreshStats().catch(() => undefined);
      }, STATS_REFRESH_MS);
      statsTimer.unref();
      retentionTimer = setInterval(() => {
        retain().catch((error: Error) => report(error));
      }, RETENTION_EVERY_MS);
      retentionTimer.unref();
      phase = 'open';
    },

    async close() {
      if (phase !== 'open') return;
      phase = 'closed';
      if (statsTimer) clearInterval(statsTimer);
      if (retentionTimer) clearInterval(retentionTimer);
      await latest.stop();
      await db.end();
    },

    stats: () => figures,

    // Reads see committed rows only, so nothing is ever in flight here. What settling does buy
    // is latestSeq(): after it, the watermark a catch-up reads covers every seq committed before
    // the call on any node (one single-row read; when the database is down it resolves as is).
    settled: () => latest.refresh().catch(() => undefined),

    // users and tokens ----------------------------------------------------------------------
    async countUsers() {
      const { rows } = await db.query<{ count: number }>('SELECT count(*) AS count FROM users');
      return rows[0]?.count ?? 0;
    },

    async createUser(user) {
      const record: UserRecord = { id: newId(), ...user, createdAt: now() };
      const inserted = await write(async (client) => {
        const { rowCount } = await client.query(
          `INSERT INTO users (id, username, username_key, password_hash, is_admin, is_author,
                              created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username_key) DO NOTHING`,
          [
            record.id,
            record.username,
            usernameKey(record.username),
            record.passwordHash,
            record.isAdmin,
            record.isAuthor,
            record.createdAt,
          ],
        );
        return rowCount === 1;
      });
      if (!inserted) throw new ConflictError(`the username "${user.username}" is taken`);
      count({ users: 1 });
      return record;
    },

    getUser: (id) => firstUser(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]),

    findUserByUsername: (username) =>
      firstUser(`SELECT ${USER_COLUMNS} FROM users WHERE username_key = $1`, [
        usernameKey(username),
      ]),

    async setAuthor(userId, isAuthor) {
      const row = await write(async (client) => {
        const { rows } = await client.query<UserRow>(
          `UPDATE users SET is_author = $2 WHERE id = $1 RETURNING ${USER_COLUMNS}`,
          [userId, isAuthor],
        );
        return rows[0];
      });
      return row && toUser(row);
    },

    async createToken(token) {
      const record: TokenRecord = { id: newId(), ...token, createdAt: now() };
      await write((client) =>
        client.query(
          `INSERT INTO tokens (id, user_id, token_hash, device, created_at)
           VALUES ($1, $2, $3, $4, $5)`,
          [record.id, record.userId, record.tokenHash, record.device, record.createdAt],
        ),
      );
      return record;
    },

    async findTokenByHash(tokenHash) {
      const { rows } = await db.query<TokenRow>(
        `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE token_hash = $1`,
        [tokenHash],
      );
      return rows[0] && toToken(rows[0]);
    },

    async listTokens(userId) {
      const { rows } = await db.query<TokenRow>(
        `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows.map(toToken);
    },

    async touchToken(tokenId, at) {
      const { rowCount } = await write((client) =>
        client.query('UPDATE tokens SET last_used_at = $2 WHERE id = $1', [tokenId, at]),
      );
      return rowCount === 1;
    },

    async revokeToken(tokenId) {
      return write(async (client) => {
        const { rowCount } = await client.query('DELETE FROM tokens WHERE id = $1', [tokenId]);
        if (rowCount === 1) await announceRevocation(client, { tokenIds: [tokenId] });
        return rowCount === 1;
      });
    },

    async revokeAllTokens(userId) {
      return write(async (client) => {
        const { rowCount } = await client.query('DELETE FROM tokens WHERE user_id = $1', [userId]);
        if (rowCount) await announceRevocation(client, { userId });
        return rowCount ?? 0;
      });
    },

    // settings -------------------------------------------------------------------------------
    async isRegistrationOpen() {
      const { rows } = await db.query<{ registration_open: boolean }>(
        'SELECT registration_open FROM settings',
      );
      return rows[0]?.registration_open ?? true;
    },

    async setRegistrationOpen(open) {
      await write((client) => client.query('UPDATE settings SET registration_open = $1', [open]));
    },

    // posts ----------------------------------------------------------------------------------
    findFirstAdmin: () =>
      firstUser(
        `SELECT ${USER_COLUMNS} FROM users WHERE is_admin ORDER BY created_at, id LIMIT 1`,
        [],
      ),

    async announce(announcement) {
      const event = await write((client) =>
        insertEvent(client, {
          type: 'announcement',
          createdAt: now(),
          audience: announcement.audience,
          actorId: announcement.actorId,
          actorName: announcement.actorName,
          postId: '',
          postTitle: announcement.title,
          ...(announcement.text === undefined ? {} : { text: announcement.text }),
          ...(announcement.url === undefined ? {} : { url: announcement.url }),
        }),
      );
      latest.saw(event.seq);
      count({ events: 1 });
      return event;
    },

    async addFeed(input, seenKeys) {
      const feed = await write(async (client) => {
        const record: FeedRecord = {
          id: newId(),
          ...input,
          createdAt: now(),
          status: 'ok',
          failures: 0,
        };
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO feeds (id, url, title, added_by, created_at, status, failures,
                              last_polled_at, next_poll_at, etag, last_modified)
           VALUES ($1, $2, $3, $4, $5, 'ok', 0, $6, $7, $8, $9)
           ON CONFLICT (url) DO NOTHING RETURNING id`,
          [
            record.id,
            record.url,
            record.title,
            record.addedBy,
            record.createdAt,
            record.lastPolledAt ?? null,
            record.nextPollAt,
            record.etag ?? null,
            record.lastModified ?? null,
          ],
        );
        if (!rows[0]) throw new ConflictError('this feed is already followed');
        await client.query(
          `INSERT INTO feed_entries_seen (feed_id, key, seen_at)
           SELECT $1, key, $3 FROM unnest($2::text[]) AS key ON CONFLICT DO NOTHING`,
          [record.id, seenKeys, record.createdAt],
        );
        return record;
      });
      return feed;
    },

    async getFeed(id) {
      const { rows } = await db.query<FeedRow>(`SELECT ${FEED_COLUMNS} FROM feeds WHERE id = $1`, [
        id,
      ]);
      return rows[0] && toFeed(rows[0]);
    },

    async listFeeds() {
      const { rows } = await db.query<FeedRow>(
        `SELECT ${FEED_COLUMNS} FROM feeds ORDER BY created_at, id`,
      );
      return rows.map(toFeed);
    },

    async removeFeed(id) {
      return write(async (client) => {
        const { rowCount } = await client.query('DELETE FROM feeds WHERE id = $1', [id]);
        return (rowCount ?? 0) > 0;
      });
    },

    async listDueFeeds(at, limit) {
      const { rows } = await db.query<FeedRow>(
        `SELECT ${FEED_COLUMNS} FROM feeds
          WHERE next_poll_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
          ORDER BY next_poll_at LIMIT $2`,
        [at, Math.max(0, limit)],
      );
      return rows.map(toFeed);
    },

    async claimFeed(id, at, until) {
      // One UPDATE: of several nodes claiming at once, exactly one gets the row back.
      const rows = await write(async (client) => {
        const result = await client.query<FeedRow>(
          `UPDATE feeds SET claimed_until = $3
            WHERE id = $1 AND (claimed_until IS NULL OR claimed_until <= $2)
            RETURNING ${FEED_COLUMNS}`,
          [id, at, until],
        );
        return result.rows;
      });
      return rows[0] && toFeed(rows[0]);
    },

    async recordPoll(id, update, entries) {
      const result = await write(async (client) => {
        const { rows } = await client.query<FeedRow>(
          `UPDATE feeds SET title = $2, status = $3, failures = $4, next_poll_at = $5,
                  last_error = $6, last_polled_at = coalesce($7, last_polled_at),
                  etag = $8, last_modified = $9, claimed_until = NULL
            WHERE id = $1 RETURNING ${FEED_COLUMNS}`,
          [
            id,
            update.title,
            update.status,
            update.failures,
            update.nextPollAt,
            update.lastError ?? null,
            update.lastPolledAt ?? null,
            update.etag ?? null,
            update.lastModified ?? null,
          ],
        );
        const feed = rows[0];
        if (!feed) return undefined;
        const published: { post: PostRecord; event: EventRecord }[] = [];
        const keys = new Set<string>();
        for (const entry of entries) {
          if (keys.has(entry.key)) continue;
          keys.add(entry.key);
          const at = now();
          // The key goes in first: an entry seen before (or by another node) inserts nothing.
          const seen = await client.query(
            `INSERT INTO feed_entries_seen (feed_id, key, seen_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING`,
            [id, entry.key, at],
          );
          if ((seen.rowCount ?? 0) === 0) continue;
          const post: PostRecord = {
            id: newId(),
            authorId: feed.added_by,
            title: entry.title,
            body: entry.html,
            excerpt: entry.excerpt,
            createdAt: at,
            updatedAt: at,
            source: { feedId: id, feedTitle: update.title, url: entry.url },
          };
          await client.query(
            `INSERT INTO posts (id, author_id, title, body, excerpt, created_at, updated_at,
                                source_feed_id, source_feed_title, source_url)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
            [
              post.id,
              post.authorId,
              post.title,
              post.body,
              entry.excerpt,
              at,
              at,
              id,
              update.title,
              entry.url,
            ],
          );
          const event = await insertEvent(client, {
            type: 'new_post',
            createdAt: at,
            audience: { kind: 'subscribers' },
            actorId: feed.added_by,
            actorName: update.title,
            postId: post.id,
            postTitle: post.title,
            url: entry.url,
          });
          published.push({ post, event });
        }
        return published;
      });
      for (const { event } of result ?? []) latest.saw(event.seq);
      if (result && result.length > 0) count({ posts: result.length, events: result.length });
      return result;
    },

    async publishPost(input) {
      const result = await write(async (client) => {
        const { rows } = await client.query<{ username: string }>(
          'SELECT username FROM users WHERE id = $1',
          [input.authorId],
        );
        const author = rows[0];
        if (!author) throw new Error(`publishPost: no user with id ${input.authorId}`);
        const at = now();
        const post: PostRecord = { id: newId(), ...input, createdAt: at, updatedAt: at };
        await client.query(
          `INSERT INTO posts (id, author_id, title, body, excerpt, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            post.id,
            post.authorId,
            post.title,
            post.body,
            post.excerpt ?? null,
            post.createdAt,
            post.updatedAt,
          ],
        );
        const event = await insertEvent(client, {
          type: 'new_post',
          createdAt: at,
          audience: { kind: 'subscribers' },
          actorId: input.authorId,
          postId: post.id,
          postTitle: post.title,
          actorName: author.username,
        });
        return { post, event };
      });
      latest.saw(result.event.seq);
      count({ posts: 1, events: 1 });
      return result;
    },

    async getPost(id) {
      const { rows } = await db.query<PostRow>(`SELECT ${POST_COLUMNS} FROM posts WHERE id = $1`, [
        id,
      ]);
      return rows[0] && toPost(rows[0]);
    },

    async listPosts(offset, limit) {
      const { rows } = await db.query<PostRow & { total: number }>(
        `SELECT ${POST_COLUMNS}, count(*) OVER () AS total FROM posts
          ORDER BY position DESC OFFSET $1 LIMIT $2`,
        [Math.max(0, offset), Math.max(0, limit)],
      );
      const total =
        rows[0]?.total ??
        (await db.query<{ n: number }>('SELECT count(*) AS n FROM posts')).rows[0]?.n ??
        0;
      return { items: rows.map(toPost), total };
    },

    async updatePost(id, patch) {
      const row = await write(async (client) => {
        const { rows } = await client.query<PostRow>(
          `UPDATE posts SET title = coalesce($2, title), body = coalesce($3, body),
                  excerpt = coalesce($5, excerpt), updated_at = $4
            WHERE id = $1 RETURNING ${POST_COLUMNS}`,
          [id, patch.title ?? null, patch.body ?? null, now(), patch.excerpt ?? null],
        );
        return rows[0];
      });
      return row && toPost(row);
    },

    async deletePost(id) {
      // Its likes and notified unlikes go with it (ON DELETE CASCADE); its events stay.
      const { rows } = await write((client) =>
        client.query<{ likes: number }>(
          `WITH gone AS (DELETE FROM posts WHERE id = $1 RETURNING id)
           SELECT (SELECT count(*) FROM likes WHERE post_id = $1) AS likes FROM gone`,
          [id],
        ),
      );
      const deleted = rows[0];
      if (deleted) count({ posts: -1, likes: -deleted.likes });
      return deleted !== undefined;
    },

    // likes ----------------------------------------------------------------------------------
    async addLike(postId, userId): Promise<LikeResult> {
      const result = await write(async (client): Promise<LikeResult> => {
        // FOR SHARE: the post cannot be deleted or renamed under this like.
        const { rows: posts } = await client.query<{ author_id: string; title: string }>(
          'SELECT author_id, title FROM posts WHERE id = $1 FOR SHARE',
          [postId],
        );
        const post = posts[0];
        if (!post) return { created: false };
        const { rowCount } = await client.query(
          'INSERT INTO likes (post_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [postId, userId],
        );
        if (rowCount !== 1) return { created: false };
        const { rowCount: unliked } = await client.query(
          'DELETE FROM notified_unlikes WHERE post_id = $1 AND user_id = $2',
          [postId, userId],
        );
        if (
          !likeNotifiesAuthor({
            likerId: userId,
            authorId: post.author_id,
            alreadyNotified: unliked === 1,
          })
        ) {
          return { created: true };
        }
        const { rows: likers } = await client.query<{ username: string }>(
          'SELECT username FROM users WHERE id = $1',
          [userId],
        );
        const event = await insertEvent(client, {
          type: 'post_liked',
          createdAt: now(),
          audience: { kind: 'user', userId: post.author_id },
          actorId: userId,
          postId,
          postTitle: post.title,
          actorName: likers[0]?.username ?? userId,
        });
        return { created: true, event };
      });
      if (result.event) latest.saw(result.event.seq);
      if (result.created) count({ likes: 1, events: result.event ? 1 : 0 });
      return result;
    },

    async removeLike(postId, userId) {
      const removed = await write(async (client) => {
        const { rowCount } = await client.query(
          'DELETE FROM likes WHERE post_id = $1 AND user_id = $2',
          [postId, userId],
        );
        if (rowCount !== 1) return false;
        // Every standing like by someone other than the author was notified: remember it, so
        // liking again stays silent.
        await client.query(
          `INSERT INTO notified_unlikes (post_id, user_id)
           SELECT id, $2 FROM posts WHERE id = $1 AND author_id <> $2
           ON CONFLICT DO NOTHING`,
          [postId, userId],
        );
        return true;
      });
      if (removed) count({ likes: -1 });
      return removed;
    },

    async likeCount(postId) {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*) AS n FROM likes WHERE post_id = $1',
        [postId],
      );
      return rows[0]?.n ?? 0;
    },

    async hasLiked(postId, userId) {
      const { rowCount } = await db.query(
        'SELECT 1 FROM likes WHERE post_id = $1 AND user_id = $2',
        [postId, userId],
      );
      return rowCount === 1;
    },

    // subscriptions --------------------------------------------------------------------------
    async subscribe(userId) {
      return write(async (client) => {
        await lockUser(client, userId);
        const spans = startSubscription(
          await spansOf(client, userId),
          await lockedLatestSeq(client),
        );
        if (!spans) return false;
        await replaceSpans(client, userId, spans);
        return true;
      });
    },

    async unsubscribe(userId) {
      return write(async (client) => {
        await lockUser(client, userId);
        const spans = endSubscription(await spansOf(client, userId), await lockedLatestSeq(client));
        if (!spans) return false;
        await replaceSpans(client, userId, spans);
        return true;
      });
    },

    async isSubscribed(userId) {
      const { rowCount } = await db.query(
        'SELECT 1 FROM subscription_spans WHERE user_id = $1 AND to_seq IS NULL',
        [userId],
      );
      return rowCount === 1;
    },

    async listSubscriberIds() {
      const { rows } = await db.query<{ user_id: string }>(
        'SELECT user_id FROM subscription_spans WHERE to_seq IS NULL',
      );
      return rows.map((row) => row.user_id);
    },

    // the inbox ------------------------------------------------------------------------------
    async listInbox(userId, query) {
      const rows = await visibleEventRows(db, userId, {
        ...(query.afterSeq === undefined ? {} : { after: query.afterSeq }),
        ...(query.beforeSeq === undefined ? {} : { before: query.beforeSeq }),
        limit: query.limit,
        newestFirst: query.afterSeq === undefined,
      });
      for (const row of rows) latest.saw(row.seq);
      return rows.map(toInboxEntry);
    },

    unreadCount: (userId) => unreadCountOf(db, userId),

    async markRead(userId, eventIds) {
      const unique = [...new Set(eventIds)];
      if (unique.length === 0) return [];
      return write(async (client) => {
        await lockUser(client, userId);
        const read = await readStateOf(client, userId);
        const visible = await visibleAmong(client, userId, unique);
        const marked = unique.filter((id) => {
          const seq = visible.get(id);
          return seq !== undefined && !isRead(read, seq);
        });
        if (marked.length === 0) return [];
        const seqs = marked.map((id) => visible.get(id) as number);
        const above = new Set([...read.above, ...seqs]);
        const following = await visibleSeqsAfter(client, userId, read.cursor, above.size + 1);
        await saveReadState(client, userId, withReadSeqs(read, seqs, following));
        return marked;
      });
    },

    async markAllRead(userId) {
      return write(async (client) => {
        await lockUser(client, userId);
        const read = await readStateOf(client, userId);
        const [newestRow] = await visibleEventRows(client, userId, {
          limit: 1,
          newestFirst: true,
        });
        const newest = newestRow?.seq ?? 0;
        if (newest <= read.cursor) return read.cursor;
        await saveReadState(client, userId, { cursor: newest, above: [] });
        return newest;
      });
    },

    latestSeq: () => latest.value(),
  };
}
