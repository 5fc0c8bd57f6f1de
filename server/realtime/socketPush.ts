/**
 * Push over socket.io: the realtime side of the domain's Push port. A new post is ONE broadcast
 * to the subscribers' room, a like one emit to its author's room, both through the sync handoff
 * (server/realtime/syncHandoff.ts) so a connecting socket gets each item once.
 *
 * No unread counts follow a new item (protocol 2): a client holds its count from `sync` and adds
 * one per unread `notification:new` above the count's `upToSeq`. Counts go out only when read
 * state changes. Until protocol 1 the server counted and sent a count to every subscriber after
 * each post: most of its CPU per post (docs/BENCHMARKS.md).
 */
import type { Push } from '../domain/push.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { InboxStore, StoreLifecycle } from '../store/store.js';
import { SUBSCRIBERS_ROOM, tokenRoom, userRoom, type TidingsServer } from './socketServer.js';
import type { SyncHandoff } from './syncHandoff.js';

export function createSocketPush(
  io: TidingsServer,
  store: Pick<InboxStore, 'unreadCount'> & Pick<StoreLifecycle, 'settled'>,
  metrics: Metrics,
  log: Logger,
  handoff: SyncHandoff,
  /** With several nodes: moves the user's sockets on every node (server/cluster/sharedSockets.ts). */
  moveSubscriber?: (userId: string, subscribed: boolean) => Promise<void>,
  /** Whether sockets join their token's room (several nodes; socketServer.ts `tokenRoom`). */
  tokenRooms = false,
): Push {
  const push: Push = {
    newPost(item, authorId) {
      handoff.pushItem({ to: SUBSCRIBERS_ROOM, except: userRoom(authorId) }, item);
      metrics.eventPushed(item.type);
    },

    liked(item, authorId) {
      handoff.pushItem({ to: userRoom(authorId) }, item);
      metrics.eventPushed(item.type);
    },

    announced(item, to) {
      // The same paths as a post (one room broadcast) and a like (one user's room).
      if (to.kind === 'subscribers') push.newPost(item, to.senderId);
      else push.liked(item, to.userId);
    },

    readChanged(userId, change, { unreadCount, upToSeq }, originSocketId) {
      const others = originSocketId
        ? io.to(userRoom(userId)).except(originSocketId)
        : io.to(userRoom(userId));
      others.emit('notification:read', change);
      io.to(userRoom(userId)).emit('unread:count', { unreadCount, upToSeq });
    },

    subscriptionChanged(userId, subscribed) {
      if (moveSubscriber) return moveSubscriber(userId, subscribed);
      // One node: the in-memory adapter moves the sockets before this returns; nothing to wait on.
      if (subscribed) io.in(userRoom(userId)).socketsJoin(SUBSCRIBERS_ROOM);
      else io.in(userRoom(userId)).socketsLeave(SUBSCRIBERS_ROOM);
      return Promise.resolve();
    },

    tokensRevoked(tokenIds) {
      if (tokenIds.length === 0) return;
      // Through the adapter: with several nodes, the token's sockets on every node.
      if (tokenRooms) {
        io.in(tokenIds.map(tokenRoom)).disconnectSockets(true);
        return;
      }
      // One node holds every socket: found by what their handshake learned.
      const revoked = new Set(tokenIds);
      for (const socket of io.of('/').sockets.values()) {
        if (revoked.has(socket.data.tokenId)) socket.disconnect(true);
      }
    },

    userTokensRevoked(userId) {
      io.in(userRoom(userId)).disconnectSockets(true);
    },
  };
  return push;
}
