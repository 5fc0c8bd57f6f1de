/** The PostgreSQL driver's PostStore: posts and likes, and the events publishing and liking record. */
import type { EventRecord, LikeResult, PostRecord, PostStore } from '../store.js';
import { likeNotifiesAuthor } from '../visibility.js';
import { newId } from '../lowdb/ids.js';
import type { Queryable } from './database.js';
import type { PostgresEngine } from './engine.js';
import { EVENT_COLUMNS, eventRow, PLACEHOLDER_SEQ } from './events.js';
import { insertPost, POST_COLUMNS, toPost, type PostRow } from './postRows.js';
import { affectsOneRow, firstRow } from './rows.js';

/** The name an event shows for its actor (a snapshot: renaming later does not change it). */
const usernameOf = (client: Queryable, userId: string) =>
  firstRow(
    client,
    'SELECT username FROM users WHERE id = $1',
    [userId],
    (row: { username: string }) => row.username,
  );

export function postQueries(engine: PostgresEngine): PostStore {
  const { db, write, now, figures } = engine;

  return {
    async publishPost(input) {
      const result = await write(async (client, events) => {
        const author = await usernameOf(client, input.authorId);
        if (author === undefined) throw new Error(`publishPost: no user with id ${input.authorId}`);
        const at = now();
        const post: PostRecord = { id: newId(), ...input, createdAt: at, updatedAt: at };
        await insertPost(client, post);
        const event = await events.record({
          type: 'new_post',
          createdAt: at,
          audience: { kind: 'subscribers' },
          actorId: input.authorId,
          postId: post.id,
          postTitle: post.title,
          actorName: author,
        });
        return { post, event };
      });
      figures.count({ posts: 1, events: 1 });
      return result;
    },

    getPost: (id) => firstRow(db, `SELECT ${POST_COLUMNS} FROM posts WHERE id = $1`, [id], toPost),

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

    updatePost: (id, patch) =>
      write((client) =>
        firstRow(
          client,
          `UPDATE posts SET title = coalesce($2, title), body = coalesce($3, body),
                  excerpt = coalesce($5, excerpt), updated_at = $4
            WHERE id = $1 RETURNING ${POST_COLUMNS}`,
          [id, patch.title ?? null, patch.body ?? null, now(), patch.excerpt ?? null],
          toPost,
        ),
      ),

    async deletePost(id) {
      // Its likes and notified unlikes go with it (ON DELETE CASCADE); its events stay.
      const likes = await write((client) =>
        firstRow(
          client,
          `WITH gone AS (DELETE FROM posts WHERE id = $1 RETURNING id)
           SELECT (SELECT count(*) FROM likes WHERE post_id = $1) AS likes FROM gone`,
          [id],
          (row: { likes: number }) => row.likes,
        ),
      );
      if (likes !== undefined) figures.count({ posts: -1, likes: -likes });
      return likes !== undefined;
    },

    async addLike(postId, userId) {
      // Four round trips (BEGIN, these two statements, the commit), not seven: on a loaded
      // machine each one waits for the node's event loop while the transaction holds a pooled
      // connection (docs/STORAGE.md, "A like's round trips").
      const result = await write(async (client, events): Promise<LikeResult> => {
        // FOR SHARE: the post cannot be deleted or renamed under this like.
        const post = await firstRow(
          client,
          `WITH post AS (SELECT author_id, title FROM posts WHERE id = $1 FOR SHARE),
                liked AS (INSERT INTO likes (post_id, user_id) SELECT $1, $2 FROM post
                          ON CONFLICT DO NOTHING RETURNING 1)
           SELECT author_id, title, EXISTS (SELECT 1 FROM liked) AS liked FROM post`,
          [postId, userId],
          (row: { author_id: string; title: string; liked: boolean }) => row,
        );
        if (!post?.liked) return { created: false };
        const record: EventRecord = {
          seq: 0,
          id: newId(),
          type: 'post_liked',
          createdAt: now(),
          audience: { kind: 'user', userId: post.author_id },
          actorId: userId,
          postId,
          postTitle: post.title,
          actorName: userId,
        };
        // Whether the author was told of this like before (and it was taken back) is known only
        // in this statement, so that part of likeNotifiesAuthor is its WHERE; the rest is asked
        // here. The DELETE runs in a statement of its own after the like's INSERT, as before, so
        // it sees an unlike that the INSERT waited for.
        const notifies = likeNotifiesAuthor({
          likerId: userId,
          authorId: post.author_id,
          alreadyNotified: false,
        });
        const inserted = await firstRow(
          client,
          `WITH gone AS (DELETE FROM notified_unlikes WHERE post_id = $6 AND user_id = $5
                         RETURNING 1)
           INSERT INTO events (${EVENT_COLUMNS})
           SELECT ${PLACEHOLDER_SEQ}, $1, $2, $3, $4, $5, $6, $7,
                  coalesce((SELECT username FROM users WHERE id = $5), $8), $9, $10
            WHERE $11::boolean AND NOT EXISTS (SELECT 1 FROM gone)
           RETURNING seq, actor_name`,
          [...eventRow(record), notifies],
          (row: { seq: number; actor_name: string }) => row,
        );
        if (!inserted) return { created: true };
        const event = events.adopt(inserted.seq, { ...record, actorName: inserted.actor_name });
        return { created: true, event };
      });
      if (result.created) figures.count({ likes: 1, events: result.event ? 1 : 0 });
      return result;
    },

    async removeLike(postId, userId) {
      const removed = await write(async (client) => {
        const unliked = await affectsOneRow(
          client,
          'DELETE FROM likes WHERE post_id = $1 AND user_id = $2',
          [postId, userId],
        );
        if (!unliked) return false;
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
      if (removed) figures.count({ likes: -1 });
      return removed;
    },

    async likeCount(postId) {
      const count = await firstRow(
        db,
        'SELECT count(*) AS n FROM likes WHERE post_id = $1',
        [postId],
        (row: { n: number }) => row.n,
      );
      return count ?? 0;
    },

    hasLiked: (postId, userId) =>
      affectsOneRow(db, 'SELECT 1 FROM likes WHERE post_id = $1 AND user_id = $2', [
        postId,
        userId,
      ]),
  };
}
