/**
 * Posts and likes. Publishing stores the post and its ONE new_post event, then pushes it; a like
 * records at most one post_liked event for the author, then pushes it. Push always follows the
 * durable write.
 */
import type {
  Post,
  PostInput,
  PostListItem,
  PostListResponse,
  PostPatch,
} from '../../contract/wire.js';
import type { AccountStore, PostRecord, PostStore, UserRecord } from '../store/store.js';
import { DomainError } from './errors.js';
import { excerptFor, excerptOf } from './excerpt.js';
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
  async function toListItem(
    record: PostRecord,
    viewer: UserRecord | undefined,
  ): Promise<PostListItem> {
    const [author, likeCount, likedByMe] = await Promise.all([
      store.getUser(record.authorId),
      store.likeCount(record.id),
      viewer ? store.hasLiked(record.id, viewer.id) : Promise.resolve(false),
    ]);
    return {
      id: record.id,
      title: record.title,
      url: postUrl(publicUrl, record.id),
      excerpt: excerptFor(record),
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

  async function toPost(record: PostRecord, viewer: UserRecord | undefined): Promise<Post> {
    return { ...(await toListItem(record, viewer)), body: record.body };
  }

  async function requirePost(id: string): Promise<PostRecord> {
    const post = await store.getPost(id);
    if (!post) throw new DomainError('not_found', 'There is no post with this id.');
    return post;
  }

  /** Editing takes both: a demoted author keeps their posts but can no longer change them. */
  async function requireEditablePost(user: UserRecord, id: string): Promise<PostRecord> {
    const post = await requirePost(id);
    if (post.authorId !== user.id) {
      throw new DomainError('forbidden', 'Only its author can change this post.');
    }
    if (!user.isAuthor) {
      throw new DomainError(
        'forbidden',
        'Only authors can edit posts; ask an admin to make you an author again.',
      );
    }
    return post;
  }

  /** Its author may take a post down (author role or not), and an admin may take any down. */
  async function requireDeletablePost(user: UserRecord, id: string): Promise<PostRecord> {
    const post = await requirePost(id);
    if (post.authorId !== user.id && !user.isAdmin) {
      throw new DomainError('forbidden', 'Only its author or an admin can delete this post.');
    }
    return post;
  }

  return {
    toPost,

    /** Whether the post page offers this viewer Edit and Delete (the actions check again). */
    permissionsOf(viewer: UserRecord | undefined, post: Pick<Post, 'author'>) {
      const own = viewer !== undefined && viewer.id === post.author.id;
      return { canEdit: own && viewer.isAuthor, canDelete: own || viewer?.isAdmin === true };
    },

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
        excerpt: excerptOf(input.body),
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
        items: await Promise.all(items.map((record) => toListItem(record, viewer))),
        page,
        limit,
        total,
      };
    },

    /** The newest posts with their bodies, for the feeds (which carry each post in full). */
    async newestInFull(limit: number): Promise<Post[]> {
      const { items } = await store.listPosts(0, limit);
      return Promise.all(items.map((record) => toPost(record, undefined)));
    },

    async get(viewer: UserRecord | undefined, id: string): Promise<Post> {
      return toPost(await requirePost(id), viewer);
    },

    async edit(user: UserRecord, id: string, patch: PostPatch): Promise<Post> {
      await requireEditablePost(user, id);
      const excerpt = patch.body === undefined ? {} : { excerpt: excerptOf(patch.body) };
      const updated = await store.updatePost(id, { ...patch, ...excerpt });
      if (!updated) throw new DomainError('not_found', 'There is no post with this id.');
      return toPost(updated, user);
    },

    async remove(user: UserRecord, id: string): Promise<void> {
      await requireDeletablePost(user, id);
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
