/**
 * The lowdb driver's InboxStore: inboxes derived on read through the indexes in inbox.ts, and read
 * state written as a cursor plus the seqs read above it.
 */
import type { InboxStore } from '../store.js';
import { canSee } from '../visibility.js';
import type { CommitEngine } from './commitEngine.js';
import {
  isRead,
  listInbox,
  newestVisibleSeq,
  readStateOf,
  unreadCount,
  withReadSeqs,
} from './inbox.js';

export function inboxQueries(engine: CommitEngine): InboxStore {
  const { change, commit, ensureOpen } = engine;
  return {
    async listInbox(userId, query) {
      return listInbox(engine.state(), userId, { ...query, limit: Math.max(0, query.limit) });
    },

    async unreadCount(userId, upToSeq) {
      return unreadCount(engine.state(), userId, upToSeq);
    },

    async markRead(userId, eventIds) {
      ensureOpen();
      const state = engine.state();
      const read = readStateOf(state, userId);
      const spans = state.subscriptions.get(userId) ?? [];
      const marked = new Map<string, number>();
      for (const id of eventIds) {
        const event = state.events.getById(id);
        // Unknown, someone else's, or already read: ignored, so nobody can touch another inbox.
        if (!event || !canSee(event, userId, spans) || isRead(read, event.seq)) continue;
        marked.set(id, event.seq);
      }
      if (marked.size === 0) return [];
      change(['readState', userId, withReadSeqs(state, userId, read, [...marked.values()])]);
      await commit();
      return [...marked.keys()];
    },

    async markAllRead(userId) {
      ensureOpen();
      const state = engine.state();
      const read = readStateOf(state, userId);
      const newest = newestVisibleSeq(state, userId) ?? 0;
      if (newest <= read.cursor) return read.cursor;
      change(['readState', userId, { cursor: newest, above: [] }]);
      await commit();
      return newest;
    },

    latestSeq() {
      return engine.state().latestSeq;
    },
  };
}
