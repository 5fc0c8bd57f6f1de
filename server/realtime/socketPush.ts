/**
 * Push over socket.io: the realtime side of the domain's Push port. A new post is ONE broadcast
 * to the subscribers' room; unread counts follow on the next turn of the event loop, so computing
 * them never delays the broadcast.
 *
 * The counts are the one inbox read outside the domain's inbox service: they are counted here for
 * many users at once, so they wait for `store.settled()` once per batch rather than once per user
 * (under steady writes, a wait per user would stretch one batch over thousands of writes).
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
): Push {
  async function sendUnreadCount(userId: string): Promise<void> {
    await store.settled();
    const count = await store.unreadCount(userId);
    io.to(userRoom(userId)).emit('unread:count', { count });
  }

  /** Each connected user in a room once, whatever their number of devices. */
  function usersIn(room: string): Set<string> {
    const users = new Set<string>();
    for (const socketId of io.sockets.adapter.rooms.get(room) ?? []) {
      const userId = io.sockets.sockets.get(socketId)?.data.userId;
      if (userId) users.add(userId);
    }
    return users;
  }

  function later(what: string, work: () => Promise<void>): void {
    setImmediate(() => {
      work().catch((error: unknown) => log.error(`could not send ${what}`, error));
    });
  }

  return {
    newPost(item, authorId) {
      handoff.pushItem({ to: SUBSCRIBERS_ROOM, except: userRoom(authorId) }, item);
      metrics.eventPushed(item.type);
      later('unread counts after a new post', async () => {
        const users = usersIn(SUBSCRIBERS_ROOM);
        users.delete(authorId);
        // Most subscribers share a count, so one emit per distinct count to all their rooms
        // encodes each packet once instead of once per user (10,000 users: a handful of emits).
        const roomsByCount = new Map<number, string[]>();
        await store.settled();
        for (const userId of users) {
          const count = await store.unreadCount(userId);
          const rooms = roomsByCount.get(count) ?? [];
          rooms.push(userRoom(userId));
          roomsByCount.set(count, rooms);
        }
        for (const [count, rooms] of roomsByCount) io.to(rooms).emit('unread:count', { count });
      });
    },

    liked(item, authorId) {
      handoff.pushItem({ to: userRoom(authorId) }, item);
      metrics.eventPushed(item.type);
      later('the unread count after a like', () => sendUnreadCount(authorId));
    },

    readChanged(userId, change, unreadCount, originSocketId) {
      const others = originSocketId
        ? io.to(userRoom(userId)).except(originSocketId)
        : io.to(userRoom(userId));
      others.emit('notification:read', change);
      io.to(userRoom(userId)).emit('unread:count', { count: unreadCount });
    },

    subscriptionChanged(userId, subscribed) {
      if (subscribed) io.in(userRoom(userId)).socketsJoin(SUBSCRIBERS_ROOM);
      else io.in(userRoom(userId)).socketsLeave(SUBSCRIBERS_ROOM);
    },

    tokensRevoked(tokenIds) {
      // Through the adapter: with several nodes, the token's sockets on every node.
      if (tokenIds.length > 0) io.in(tokenIds.map(tokenRoom)).disconnectSockets(true);
    },

    userTokensRevoked(userId) {
      io.in(userRoom(userId)).disconnectSockets(true);
    },
  };
}
