/**
 * The lowdb driver's FeedStore. One process owns the data file (the data-dir lock), so a claim is
 * a field on the feed; a SQL driver makes the same check-and-set one UPDATE … WHERE claimed_until
 * < now, which is what lets several nodes share the polling.
 */
import {
  ConflictError,
  type EventRecord,
  type FeedRecord,
  type FeedStore,
  type PostRecord,
} from '../store.js';
import { importedPost, importedPostEvent } from '../newRecords.js';
import type { CommitEngine } from './commitEngine.js';
import { recordEvent } from './events.js';
import { newId } from './ids.js';

const isClaimed = (feed: FeedRecord, now: string): boolean =>
  feed.claimedUntil !== undefined && Date.parse(feed.claimedUntil) > Date.parse(now);

export function feedQueries(engine: CommitEngine): FeedStore {
  const { change, commit, ensureOpen } = engine;

  return {
    async addFeed(input, seenKeys) {
      ensureOpen();
      const state = engine.state();
      for (const feed of state.feeds.values()) {
        if (feed.url === input.url) throw new ConflictError('this feed is already followed');
      }
      const feed: FeedRecord = {
        id: newId(),
        ...input,
        createdAt: engine.now(),
        status: 'ok',
        failures: 0,
      };
      change(['feed', feed], ['feedEntriesSeen', feed.id, seenKeys]);
      await commit();
      return feed;
    },

    async getFeed(id) {
      return engine.state().feeds.get(id);
    },

    async listFeeds() {
      return [...engine.state().feeds.values()].sort((a, b) =>
        a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt < b.createdAt ? -1 : 1,
      );
    },

    async removeFeed(id) {
      ensureOpen();
      if (!engine.state().feeds.has(id)) return false;
      change(['feedDeleted', id]);
      await commit();
      return true;
    },

    async listDueFeeds(now, limit) {
      const at = Date.parse(now);
      return [...engine.state().feeds.values()]
        .filter((feed) => Date.parse(feed.nextPollAt) <= at && !isClaimed(feed, now))
        .sort((a, b) => Date.parse(a.nextPollAt) - Date.parse(b.nextPollAt))
        .slice(0, limit);
    },

    async claimFeed(id, now, until) {
      ensureOpen();
      const feed = engine.state().feeds.get(id);
      if (!feed || isClaimed(feed, now)) return undefined;
      const claimed: FeedRecord = { ...feed, claimedUntil: until };
      change(['feed', claimed]);
      await commit();
      return claimed;
    },

    async recordPoll(id, update, entries) {
      ensureOpen();
      const state = engine.state();
      const feed = state.feeds.get(id);
      if (!feed) return undefined;
      // The update replaces the poll state; the claim is released and an old error goes with it.
      const next: FeedRecord = { ...feed, ...update };
      delete next.claimedUntil;
      if (update.lastError === undefined) delete next.lastError;
      change(['feed', next]);
      const seen = state.feedEntriesSeen.get(id);
      const fresh = entries.filter(
        (entry, index) =>
          !seen?.has(entry.key) && entries.findIndex((other) => other.key === entry.key) === index,
      );
      const published: { post: PostRecord; event: EventRecord }[] = [];
      for (const entry of fresh) {
        const post = importedPost(feed, update.title, entry, engine.now());
        change(['post', post]);
        const event = recordEvent(engine, importedPostEvent(post, update.title));
        published.push({ post, event });
      }
      if (fresh.length > 0) change(['feedEntriesSeen', id, fresh.map((entry) => entry.key)]);
      await commit();
      return published;
    },
  };
}
