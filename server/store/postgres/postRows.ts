/** Posts as rows: the columns, the mapping to PostRecord, and the one INSERT that publishing and feed imports share. */
import type { PostRecord } from '../store.js';
import type { Queryable } from './database.js';
import { optional } from './rows.js';

export interface PostRow {
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

export const POST_COLUMNS =
  'id, author_id, title, body, excerpt, created_at, updated_at, source_feed_id, source_feed_title, source_url';

export const toPost = (row: PostRow): PostRecord => ({
  id: row.id,
  authorId: row.author_id,
  title: row.title,
  body: row.body,
  ...optional('excerpt', row.excerpt),
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

export async function insertPost(client: Queryable, post: PostRecord): Promise<void> {
  await client.query(
    `INSERT INTO posts (id, author_id, title, body, excerpt, created_at, updated_at,
                        source_feed_id, source_feed_title, source_url)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      post.id,
      post.authorId,
      post.title,
      post.body,
      post.excerpt ?? null,
      post.createdAt,
      post.updatedAt,
      post.source?.feedId ?? null,
      post.source?.feedTitle ?? null,
      post.source?.url ?? null,
    ],
  );
}
