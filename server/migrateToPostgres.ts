/**
 * `migrate-to-postgres`: copies a lowdb blog into an empty PostgreSQL database, keeping every id
 * and seq, so each user's inbox, unread count and `since` catch-up answer exactly as before (and
 * clients keep their `since` across the move). The copy is one transaction: it lands whole or not
 * at all. The data dir stays locked and untouched meanwhile; the database must be empty and no
 * node may be serving it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lockDataDir } from './dataDirLock.js';
import { MigrationRefusedError } from './migrationRefused.js';
import type { StoreDocument } from './store/lowdb/document.js';
import { createLowdbStore, DATA_FILE_NAME } from './store/lowdb/index.js';
import { eventRecords } from './store/lowdb/eventLog.js';
import { likerIdLists } from './store/lowdb/likerSets.js';
import { parseDocument } from './store/lowdb/parseDocument.js';
import { openDatabase, type Database, type Queryable } from './store/postgres/database.js';
import { toStorageError } from './store/postgres/errors.js';
import { migrate } from './store/postgres/migrate.js';
import { claimDatabase } from './store/postgres/nodeLock.js';

export { MigrationRefusedError };

export interface MigrateOptions {
  dataDir: string;
  databaseUrl: string;
}

/** Rows per INSERT: big enough to be quick, small enough for PostgreSQL's parameter limits. */
const BATCH = 5_000;

/** A column: its name, the element type of the array it travels in, and a cast on arrival. */
type Column = [name: string, type: string, cast?: string];

async function insertColumns(
  client: Queryable,
  table: string,
  columns: Column[],
  rows: unknown[][],
): Promise<void> {
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const aliases = columns.map((_, i) => `c${i}`).join(', ');
  const values = columns.map(([, , cast], i) => (cast ? `c${i}::${cast}` : `c${i}`)).join(', ');
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    await client.query(
      `INSERT INTO ${table} (${names})
       SELECT ${values} FROM unnest(${arrays}) AS u(${aliases})`,
      columns.map((_, column) => batch.map((row) => row[column])),
    );
  }
}

/** The lowdb blog as it would open: the journal folded in and retention applied. */
async function readBlog(dataDir: string): Promise<StoreDocument> {
  const file = join(dataDir, DATA_FILE_NAME);
  if (!existsSync(file)) {
    throw new MigrationRefusedError(
      `there is no Tidings data in ${dataDir} (no ${DATA_FILE_NAME})`,
    );
  }
  // Opening and closing the store folds its journal into the snapshot, exactly as a server would.
  const store = createLowdbStore({ dataDir });
  await store.open();
  await store.close();
  return parseDocument(await readFile(file, 'utf8'), file);
}

async function isEmpty(client: Queryable): Promise<boolean> {
  const { rows } = await client.query<{ used: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM tokens)
         OR EXISTS (SELECT 1 FROM posts) OR EXISTS (SELECT 1 FROM events)
         OR EXISTS (SELECT 1 FROM subscription_spans) OR EXISTS (SELECT 1 FROM read_state)
         OR (SELECT latest_seq FROM event_seq) > 0 AS used`,
  );
  return rows[0]?.used === false;
}

async function copy(client: Queryable, blog: StoreDocument): Promise<void> {
  await client.query('UPDATE settings SET registration_open = $1', [
    blog.settings.registrationOpen,
  ]);
  await client.query('UPDATE event_seq SET latest_seq = $1', [blog.latestSeq]);
  await insertColumns(
    client,
    'users',
    [
      ['id', 'text'],
      ['username', 'text'],
      ['username_key', 'text'],
      ['password_hash', 'text'],
      ['is_admin', 'boolean'],
      ['is_author', 'boolean'],
      ['created_at', 'timestamptz'],
    ],
    blog.users.map((u) => [
      u.id,
      u.username,
      u.username.toLowerCase(),
      u.passwordHash,
      u.isAdmin,
      u.isAuthor,
      u.createdAt,
    ]),
  );
  await insertColumns(
    client,
    'tokens',
    [
      ['id', 'text'],
      ['user_id', 'text'],
      ['token_hash', 'text'],
      ['device', 'text'],
      ['created_at', 'timestamptz'],
      ['last_used_at', 'timestamptz'],
    ],
    blog.tokens.map((t) => [
      t.id,
      t.userId,
      t.tokenHash,
      t.device,
      t.createdAt,
      t.lastUsedAt ?? null,
    ]),
  );
  // Publish order is kept as `position`; the identity then continues after it.
  await insertColumns(
    client,
    'posts',
    [
      ['position', 'bigint'],
      ['id', 'text'],
      ['author_id', 'text'],
      ['title', 'text'],
      ['body', 'text'],
      ['excerpt', 'text'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    blog.posts.map((p, i) => [
      i + 1,
      p.id,
      p.authorId,
      p.title,
      p.body,
      p.excerpt ?? null,
      p.createdAt,
      p.updatedAt,
    ]),
  );
  if (blog.posts.length > 0) {
    await client.query(`SELECT setval(pg_get_serial_sequence('posts', 'position'), $1)`, [
      blog.posts.length,
    ]);
  }
  const pairs = (lists: StoreDocument['likes']) =>
    Object.entries(likerIdLists(lists, blog.users)).flatMap(([postId, userIds]) =>
      userIds.map((userId) => [postId, userId]),
    );
  const pairColumns: Column[] = [
    ['post_id', 'text'],
    ['user_id', 'text'],
  ];
  await insertColumns(client, 'likes', pairColumns, pairs(blog.likes));
  await insertColumns(client, 'notified_unlikes', pairColumns, pairs(blog.notifiedUnlikes));
  await insertColumns(
    client,
    'subscription_spans',
    [
      ['user_id', 'text'],
      ['from_seq', 'bigint'],
      ['to_seq', 'bigint'],
    ],
    Object.entries(blog.subscriptions).flatMap(([userId, spans]) =>
      spans.map(([from, to]) => [userId, from, to]),
    ),
  );
  await insertColumns(
    client,
    'events',
    [
      ['seq', 'bigint'],
      ['id', 'text'],
      ['type', 'text'],
      ['created_at', 'timestamptz'],
      ['audience_user_id', 'text'],
      ['actor_id', 'text'],
      ['post_id', 'text'],
      ['post_title', 'text'],
      ['actor_name', 'text'],
    ],
    eventRecords(blog.events).map((e) => [
      e.seq,
      e.id,
      e.type,
      e.createdAt,
      e.audience.kind === 'user' ? e.audience.userId : null,
      e.actorId,
      e.postId,
      e.postTitle,
      e.actorName,
    ]),
  );
  // Read marks go in as PostgreSQL array literals: unnest cannot take an array of arrays.
  await insertColumns(
    client,
    'read_state',
    [
      ['user_id', 'text'],
      ['cursor_seq', 'bigint'],
      ['above', 'text', 'bigint[]'],
    ],
    Object.entries(blog.readState).map(([userId, read]) => [
      userId,
      read.cursor,
      `{${read.above.join(',')}}`,
    ]),
  );
}

/**
 * VACUUM ANALYZE of the freshly filled tables, after the copy committed. Without it the first
 * minutes of serving, until autovacuum comes by, plan without statistics and count unread items
 * through the heap (no visibility map yet): an unread count over 125,000 broadcast events took
 * about 43 ms so and 10 ms after it (bench/postgresPlans.ts). The copy is done either way, so a
 * failure here is told, not thrown. Returns what to add to the summary.
 */
async function gatherStatistics(db: Database): Promise<string> {
  try {
    await db.query('VACUUM ANALYZE');
    return ', and gathered its statistics (VACUUM ANALYZE)';
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `; its statistics were not gathered (${reason}): autovacuum will, within minutes`;
  }
}

/** Returns the line to print: what was copied. */
export async function migrateToPostgres(options: MigrateOptions): Promise<string> {
  if (!existsSync(join(options.dataDir, DATA_FILE_NAME))) {
    throw new MigrationRefusedError(
      `there is no Tidings data in ${options.dataDir} (no ${DATA_FILE_NAME})`,
    );
  }
  const dirLock = lockDataDir(options.dataDir);
  try {
    const blog = await readBlog(options.dataDir);
    // No node may serve the database while it fills: take the lock a lone node would hold.
    const nodeLock = await claimDatabase({
      connectionString: options.databaseUrl,
      shared: false,
    }).catch((error: unknown) => {
      throw toStorageError(error);
    });
    const db = openDatabase({ connectionString: options.databaseUrl, maxConnections: 1 });
    let statistics = '';
    try {
      await migrate(db.pool).catch((error: unknown) => {
        throw toStorageError(error);
      });
      await db.transaction(async (client) => {
        if (!(await isEmpty(client))) {
          throw new MigrationRefusedError(
            'the database already holds Tidings data; migrate-to-postgres only fills an empty ' +
              'database (create a new one, or drop this one if it holds nothing you need)',
          );
        }
        await copy(client, blog);
      });
      statistics = await gatherStatistics(db);
    } finally {
      await db.end().catch(() => undefined);
      await nodeLock.release();
    }
    const subscriptions = Object.values(blog.subscriptions).flat().length;
    const likes = Object.values(blog.likes).flat().length;
    return (
      `copied ${blog.users.length} users, ${blog.tokens.length} tokens, ` +
      `${blog.posts.length} posts, ${likes} likes, ${subscriptions} subscription spans, ` +
      `${blog.events.seq.length} events and ${Object.keys(blog.readState).length} read states ` +
      `from ${options.dataDir} into PostgreSQL${statistics}`
    );
  } finally {
    dirLock.release();
  }
}
