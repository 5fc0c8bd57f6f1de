/**
 * A Store that times every durable write for the metrics, and forwards everything else as is.
 * Spelled out method by method so the compiler flags it when the Store interface grows.
 */
import type { Store } from './store/store.js';

type TimeWrite = <T>(operation: string, write: () => Promise<T>) => Promise<T>;

export function timeStoreWrites(store: Store, time: TimeWrite): Store {
  return {
    open: () => store.open(),
    close: () => store.close(),
    stats: () => store.stats(),
    settled: () => store.settled(),
    countUsers: () => store.countUsers(),
    createUser: (user) => time('createUser', () => store.createUser(user)),
    getUser: (id) => store.getUser(id),
    findUserByUsername: (username) => store.findUserByUsername(username),
    setAuthor: (userId, isAuthor) => time('setAuthor', () => store.setAuthor(userId, isAuthor)),
    createToken: (token) => time('createToken', () => store.createToken(token)),
    findTokenByHash: (hash) => store.findTokenByHash(hash),
    revokeToken: (tokenId) => time('revokeToken', () => store.revokeToken(tokenId)),
    revokeAllTokens: (userId) => time('revokeAllTokens', () => store.revokeAllTokens(userId)),
    isRegistrationOpen: () => store.isRegistrationOpen(),
    setRegistrationOpen: (open) =>
      time('setRegistrationOpen', () => store.setRegistrationOpen(open)),
    publishPost: (post) => time('publishPost', () => store.publishPost(post)),
    getPost: (id) => store.getPost(id),
    listPosts: (offset, limit) => store.listPosts(offset, limit),
    updatePost: (id, patch) => time('updatePost', () => store.updatePost(id, patch)),
    deletePost: (id) => time('deletePost', () => store.deletePost(id)),
    addLike: (postId, userId) => time('addLike', () => store.addLike(postId, userId)),
    removeLike: (postId, userId) => time('removeLike', () => store.removeLike(postId, userId)),
    likeCount: (postId) => store.likeCount(postId),
    hasLiked: (postId, userId) => store.hasLiked(postId, userId),
    subscribe: (userId) => time('subscribe', () => store.subscribe(userId)),
    unsubscribe: (userId) => time('unsubscribe', () => store.unsubscribe(userId)),
    isSubscribed: (userId) => store.isSubscribed(userId),
    listSubscriberIds: () => store.listSubscriberIds(),
    listInbox: (userId, query) => store.listInbox(userId, query),
    unreadCount: (userId) => store.unreadCount(userId),
    markRead: (userId, ids) => time('markRead', () => store.markRead(userId, ids)),
    markAllRead: (userId) => time('markAllRead', () => store.markAllRead(userId)),
    latestSeq: () => store.latestSeq(),
  };
}
