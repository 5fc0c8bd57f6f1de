/**
 * A user's notifications: subscriptions, listing, catch-up, unread counts and read state. Each
 * read change is pushed to all of that user's devices.
 *
 * Every read here waits for `store.settled()` first, and nothing that feeds a client reads the
 * inbox from the store around this service: a client never sees an event that is not on disk yet
 * (DESIGN: what a client has seen survives kill -9; a failed write takes back what it held).
 */
import {
  LIMITS,
  type MarkReadAck,
  type MarkReadRequest,
  type NotificationItem,
  type SyncPayload,
  PROTOCOL_VERSION,
} from '../../contract/wire.js';
import type { InboxStore, StoreLifecycle, SubscriptionStore } from '../store/store.js';
import { createNotificationItems } from './notificationItemCache.js';
import type { Push } from './push.js';

export interface InboxOptions {
  store: InboxStore & SubscriptionStore & Pick<StoreLifecycle, 'settled'>;
  push: Push;
  publicUrl: string;
}

export function createInbox({ store, push, publicUrl }: InboxOptions) {
  const itemOf = createNotificationItems(publicUrl);

  /**
   * Newest first, strictly below `before` when given; `hasMore` when older items exist (one more
   * than asked for is read to know).
   */
  async function listPage(
    userId: string,
    before: number | undefined,
    limit: number = LIMITS.pageDefault,
  ): Promise<{ items: NotificationItem[]; hasMore: boolean }> {
    await store.settled();
    const entries = await store.listInbox(userId, {
      beforeSeq: before ?? store.latestSeq() + 1,
      limit: limit + 1,
    });
    const items = entries.map(itemOf).sort((a, b) => b.seq - a.seq);
    return { items: items.slice(0, limit), hasMore: items.length > limit };
  }

  /** Newest first, strictly below `before` when given. */
  async function list(
    userId: string,
    before: number | undefined,
    limit: number = LIMITS.pageDefault,
  ): Promise<NotificationItem[]> {
    return (await listPage(userId, before, limit)).items;
  }

  async function unreadCount(userId: string): Promise<number> {
    await store.settled();
    return store.unreadCount(userId);
  }

  /**
   * The count and the seq it covers. The count is bounded by that seq: an item committed after it
   * reaches clients live and is counted by them (with PostgreSQL, another node's commit can land
   * between reading the seq and the count).
   */
  async function countedUpTo(userId: string): Promise<MarkReadAck> {
    await store.settled();
    const upToSeq = store.latestSeq();
    return { unreadCount: await store.unreadCount(userId, upToSeq), upToSeq };
  }

  /**
   * What a connecting client missed, oldest first. With `since`: the newest LIMITS.syncMax items
   * after it, `truncated` when more came (older ones are fetched with `list`). Without: the
   * newest page, `truncated` when older items exist. `watermark`: the reply covers every seq up
   * to it, and its unread count counts exactly those (the live pushes take over above it).
   */
  async function catchUp(
    userId: string,
    requestedSince: number | undefined,
  ): Promise<{ payload: SyncPayload; watermark: number }> {
    await store.settled();
    const watermark = store.latestSeq();
    // A `since` this server never issued (its data was restored from a backup, or the client
    // talked to another server) would hide everything newer: treat it as a first connect.
    const since =
      requestedSince !== undefined && requestedSince > watermark ? undefined : requestedSince;
    const bound = since === undefined ? LIMITS.pageDefault : LIMITS.syncMax;
    // Both bounded by the watermark: whatever commits while they are read (another node's post,
    // with PostgreSQL) is above it and reaches the socket live, counted by the client then.
    const [entries, unreadCount] = await Promise.all([
      store.listInbox(userId, { beforeSeq: watermark + 1, limit: bound + 1 }),
      store.unreadCount(userId, watermark),
    ]);
    const newest = entries
      .map(itemOf)
      .filter((item) => since === undefined || item.seq > since)
      .sort((a, b) => b.seq - a.seq);
    return {
      payload: {
        items: newest.slice(0, bound).reverse(),
        unreadCount,
        upToSeq: watermark,
        truncated: newest.length > bound,
        protocolVersion: PROTOCOL_VERSION,
      },
      watermark,
    };
  }

  return {
    list,
    listPage,
    unreadCount,
    catchUp,

    async sync(userId: string, requestedSince: number | undefined): Promise<SyncPayload> {
      return (await catchUp(userId, requestedSince)).payload;
    },

    async markRead(
      userId: string,
      request: MarkReadRequest,
      originSocketId?: string,
    ): Promise<MarkReadAck> {
      if ('all' in request) {
        const upToSeq = await store.markAllRead(userId);
        const count = await countedUpTo(userId);
        push.readChanged(userId, { all: true, upToSeq }, count, originSocketId);
        return { ...count, readUpToSeq: upToSeq };
      }
      const changed = await store.markRead(userId, request.ids);
      const count = await countedUpTo(userId);
      if (changed.length > 0) {
        push.readChanged(userId, { ids: changed }, count, originSocketId);
      }
      return count;
    },

    async setSubscribed(userId: string, subscribed: boolean): Promise<void> {
      if (subscribed) await store.subscribe(userId);
      else await store.unsubscribe(userId);
      await push.subscriptionChanged(userId, subscribed);
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
