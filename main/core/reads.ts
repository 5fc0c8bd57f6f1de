/**
 * The inbox and everything that reads or marks it: the server's events applied as they come,
 * mark-read (optimistic, confirmed or rolled back by the ack), mark-all, paging older items in,
 * and opening an item. It owns the inbox state; the connection it talks through belongs to the
 * session, and a reply that arrives after that session ended is dropped.
 */
import {
  describeIssues,
  LIMITS,
  MarkReadRequestSchema,
  type NotificationItem,
  type ReadChangePayload,
  type SyncPayload,
} from '../../contract/wire.js';
import type { ActionResult, InboxSnapshot } from '../../contract/ipc.js';
import { clickUrlOf } from './clickTarget.js';
import type { Connection } from './connection.js';
import {
  addItem,
  appendOlder,
  applyRemoteRead,
  applySync,
  confirmRead,
  emptyInbox,
  findItem,
  markAllReadLocally,
  markReadLocally,
  oldestSeq,
  rollbackRead,
  setLoadingOlder,
  setUnreadCount,
  type InboxState,
  type ReadChange,
} from './inbox.js';

export interface Reads {
  snapshot(): InboxSnapshot;
  highestSeq(): number;
  isUnread(id: string): boolean;
  /** A new session starts, or the old one ended: an empty inbox. */
  reset(): void;
  /** Returns the unread items the catch-up brought (for "while you were away"). */
  applySync(payload: SyncPayload, sentSince: number | undefined): NotificationItem[];
  /** Returns the item as held (read if a mark-all covered it), or null if it was held already. */
  addLive(item: NotificationItem): NotificationItem | null;
  /** The server's count as of `upToSeq`: live items above it are added on top. */
  setUnreadCount(count: number, upToSeq: number): void;
  applyRemoteRead(change: ReadChangePayload): void;
  markRead(ids: unknown): Promise<ActionResult>;
  markAllRead(): Promise<ActionResult>;
  loadOlder(): Promise<ActionResult>;
  openItem(id: unknown): Promise<ActionResult>;
}

export function createReads(options: {
  /** The signed-in session's connection, or null when signed out. */
  connection: () => Connection | null;
  /** Whether that connection is online (caught up by `sync`). */
  online: () => boolean;
  openUrl: (url: string) => Promise<ActionResult>;
  /** The signed-in server's origin: where a post's off-origin link falls back to (clickTarget). */
  serverOrigin: () => string;
  changed: () => void;
  failed: (message: string) => void;
}): Reads {
  const { changed, failed } = options;
  let inbox: InboxState = emptyInbox();

  const requireOnline = (): { ok: false; code: string; message: string } | null => {
    if (options.connection() === null) {
      return { ok: false, code: 'signed_out', message: 'Sign in first.' };
    }
    if (!options.online()) {
      return {
        ok: false,
        code: 'offline',
        message: 'Not connected to the server. Try again once online.',
      };
    }
    return null;
  };

  const sendRead = async (
    request: { ids: string[] } | { all: true },
    change: ReadChange,
  ): Promise<ActionResult> => {
    const owner = options.connection();
    if (owner === null) return { ok: false, code: 'signed_out', message: 'Sign in first.' };
    const ack = await owner.markRead(request);
    if (options.connection() !== owner) return { ok: true };
    if (ack.ok) {
      inbox = confirmRead(inbox, change, ack);
      changed();
      return { ok: true };
    }
    inbox = rollbackRead(inbox, change);
    failed(`Could not mark as read: ${ack.error.message}`);
    return { ok: false, code: ack.error.code, message: ack.error.message };
  };

  const markReadIds = async (ids: string[]): Promise<ActionResult> => {
    const parsed = MarkReadRequestSchema.safeParse({ ids });
    if (!parsed.success) {
      return { ok: false, code: 'invalid_payload', message: describeIssues(parsed.error) };
    }
    const refused = requireOnline();
    if (refused) {
      failed(`Could not mark as read: ${refused.message}`);
      return refused;
    }
    // Ids the inbox does not hold (paged out, say) still go to the server; only a call that
    // would change nothing anywhere is skipped.
    if (ids.every((id) => findItem(inbox, id)?.read === true)) return { ok: true };
    const optimistic = markReadLocally(inbox, ids);
    inbox = optimistic.state;
    changed();
    return sendRead({ ids }, optimistic.change);
  };

  return {
    snapshot: () => ({
      items: [...inbox.items],
      unreadCount: inbox.unreadCount,
      hasMore: inbox.hasMore,
      loadingOlder: inbox.loadingOlder,
    }),
    highestSeq: () => inbox.highestSeq,
    isUnread: (id) => findItem(inbox, id)?.read !== true,
    reset() {
      inbox = emptyInbox();
    },
    applySync(payload, sentSince) {
      const applied = applySync(inbox, payload, sentSince);
      inbox = applied.state;
      return applied.missed;
    },
    addLive(item) {
      const added = addItem(inbox, item);
      if (added.added) inbox = added.state;
      return added.added;
    },
    setUnreadCount(count, upToSeq) {
      inbox = setUnreadCount(inbox, count, upToSeq);
    },
    applyRemoteRead(change) {
      inbox = applyRemoteRead(inbox, change);
    },

    markRead(ids) {
      if (!Array.isArray(ids)) {
        return Promise.resolve({
          ok: false,
          code: 'invalid_payload',
          message: 'ids: expected a list of ids',
        });
      }
      // The schema in markReadIds checks each id.
      return markReadIds(ids as string[]);
    },

    async markAllRead() {
      const refused = requireOnline();
      if (refused) return refused;
      const optimistic = markAllReadLocally(inbox);
      inbox = optimistic.state;
      changed();
      return sendRead({ all: true }, optimistic.change);
    },

    async loadOlder() {
      const refused = requireOnline();
      if (refused) return refused;
      const owner = options.connection();
      if (owner === null || inbox.loadingOlder || (!inbox.hasMore && inbox.items.length > 0))
        return { ok: true };
      inbox = setLoadingOlder(inbox, true);
      changed();
      const before = oldestSeq(inbox);
      const limit = LIMITS.pageDefault;
      const ack = await owner.list(before === undefined ? { limit } : { before, limit });
      if (options.connection() !== owner) return { ok: true };
      if (ack.ok) {
        inbox = appendOlder(inbox, ack.items, limit);
        changed();
        return { ok: true };
      }
      inbox = setLoadingOlder(inbox, false);
      failed(`Could not load older notifications: ${ack.error.message}`);
      return { ok: false, code: ack.error.code, message: ack.error.message };
    },

    async openItem(id) {
      const item = typeof id === 'string' ? findItem(inbox, id) : undefined;
      if (item === undefined) {
        return {
          ok: false,
          code: 'not_found',
          message: 'That notification is no longer in the inbox.',
        };
      }
      // An announcement without a link is read where it is shown: the inbox.
      const url = clickUrlOf(item, options.serverOrigin());
      if (url !== undefined) {
        const opened = await options.openUrl(url);
        if (!opened.ok) return opened;
      }
      if (!item.read) await markReadIds([item.id]);
      return { ok: true };
    },
  };
}
