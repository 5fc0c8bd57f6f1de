/** The lowdb driver's PostStore: posts, likes, and the events publishing and liking record. */
import type { EventRecord, LikeResult, PostRecord, PostStore } from '../store.js';
import { likeNotifiesAuthor } from '../visibility.js';
import type { CommitEngine } from './commitEngine.js';
import { recordEvent as recordEventIn } from './events.js';
import { newId } from './ids.js';

export function postQueries(engine: CommitEngine): PostStore {
  const { change, commit, ensureOpen, now } = engine;

  const recordEvent = (event: Omit<EventRecord, 'seq' | 'id' | 'createdAt'>): EventRecord =>
    recordEventIn(engine, event);

  return {
    async publishPost(input) {
      ensureOpen();
      const author = engine.state().users.get(input.authorId);
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
      await commit();
      return { post, event };
    },

    async getPost(id) {
      return engine.state().posts.get(id);
    },

    async listPosts(offset, limit) {
      const state = engine.state();
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
      const post = engine.state().posts.get(id);
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
      await commit();
      return updated;
    },

    async deletePost(id) {
      ensureOpen();
      if (!engine.state().posts.has(id)) return false;
      change(['postDeleted', id]);
      await commit();
      return true;
    },

    async addLike(postId, userId): Promise<LikeResult> {
      ensureOpen();
      const state = engine.state();
      const post = state.posts.get(postId);
      // A post deleted a moment ago is not an error worth a 500: nothing to like, nothing changes.
      if (!post || state.likes.has(postId, userId)) return { created: false };
      const alreadyNotified = state.notifiedUnlikes.has(postId, userId);
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
      await commit();
      return event ? { created: true, event } : { created: true };
    },

    async removeLike(postId, userId) {
      ensureOpen();
      if (!engine.state().likes.has(postId, userId)) return false;
      change(['unlike', postId, userId]);
      await commit();
      return true;
    },

    async likeCount(postId) {
      return engine.state().likes.count(postId);
    },

    async hasLiked(postId, userId) {
      return engine.state().likes.has(postId, userId);
    },
  };
}
