/**
 * Posts and likes. Publishing stores the post and its ONE new_post event, then pushes it; a like
 * records at most one post_liked event for the author, then pushes it. Push always follows the
 * durable write.
 */
import type { Post, PostInput, PostListResponse, PostPatch } from '../../contract/wire.js';
import type { AccountStore, PostRecord, PostStore, UserRecord } from '../store/store.js';
import { DomainError } from './errors.js';
import { postUrl, toNotificationItem } from './notificationItems.js';
import type { Push } from './push.js';

export interface PostOptions {
  /** Posts show their author's name, hence getUser. */
  store: PostStore & Pick<AccountStore, 'getUser'>;
  push: Push;
  publicUrl: string;
}

const DELETED_AUTHOR = 'a former user';

export function createPosts({ store, push, publicUrl }: PostOptions) {
  async function toPost(record: PostRecord, viewer: UserRecord | undefined): Promise<Post> {
    const [author, likeCount, likedByMe] = await Promise.all([
      store.getUser(record.authorId),
      store.likeCount(record.id),
      viewer ? store.hasLiked(record.id, viewer.id) : Promise.resolve(false),
    ]);
    return {
      id: record.id,
      title: record.title,
      url: postUrl(publicUrl, record.id),
      body: record.body,
      author: { id: record.authorId, name: author?.username ?? DELETED_AUTHOR },
      likeCount,
      likedByMe,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      ...(record.source
        ? { source: { feedTitle: record.source.feedTitle, url: record.source.url } }
        : {}),
    };
  }

  async function requirePost(id: string): Promise<PostRecord> {
    const post = await store.getPost(id);
    if (!post) throw new DomainError('not_found', 'There is no post with this id.');
    return post;
  }

  async function requireOwnPost(user: UserRecord, id: string): Promise<PostRecord> {
    const post = await requirePost(id);
    if (post.authorId !== user.id) {
      throw new DomainError('forbidden', 'Only its author can change this post.');
    }
    return post;
  }

  return {
    toPost,

    async publish(author: UserRecord, input: PostInput): Promise<Post> {
      if (!author.isAuthor) {
        throw new DomainError(
          'forbidden',
          'Only authors can publish; ask an admin to make you one.',
        );
      }
      const { post, event } = await store.publishPost({
        authorId: author.id,
        title: input.title,
        body: input.body,
      });
      push.newPost(toNotificationItem(publicUrl, { event, read: false }), author.id);
      return toPost(post, author);
    },

    async list(
      viewer: UserRecord | undefined,
      page: number,
      limit: number,
    ): Promise<PostListResponse> {
      const { items, total } = await store.listPosts((page - 1) * limit, limit);
      return {
        items: await Promise.all(items.map((record) => toPost(record, viewer))),
        page,
        limit,
        total,
      };
    },

    async get(viewer: UserRecord | undefined, id: string): Promise<Post> {
      return toPost(await requirePost(id), viewer);
    },

    async edit(user: UserRecord, id: string, patch: PostPatch): Promise<Post> {
      await requireOwnPost(user, id);
      const updated = await store.updatePost(id, patch);
      if (!updated) throw new DomainError('not_found', 'There is no post with this id.');
      return toPost(updated, user);
    },

    async remove(user: UserRecord, id: string): Promise<void> {
      await requireOwnPost(user, id);
      await store.deletePost(id);
    },

    async like(user: UserRecord, id: string): Promise<{ liked: true; likeCount: number }> {
      const post = await requirePost(id);
      const { event } = await store.addLike(post.id, user.id);
      if (event) push.liked(toNotificationItem(publicUrl, { event, read: false }), post.authorId);
      return { liked: true, likeCount: await store.likeCount(post.id) };
    },

    async unlike(user: UserRecord, id: string): Promise<{ liked: false; likeCount: number }> {
      const post = await requirePost(id);
      await store.removeLike(post.id, user.id);
      return { liked: false, likeCount: await store.likeCount(post.id) };
    },
  };
}

export type Posts = ReturnType<typeof createPosts>;
