/**
 * Following other blogs' feeds. Adding one fetches it once and records the entries it carries as
 * seen, so subscribers are not flooded with the back catalogue; every later entry becomes ONE post
 * (pointing to the original) and ONE new_post notification, exactly once, because the store records
 * "seen" in the same write as the post. A poll first claims the feed in the store, so only one
 * poll (on one node) runs per feed; a failed poll marks the feed failing with the reason and backs
 * off, and never throws past this module.
 */
import { LIMITS, type FeedInfo } from '../../contract/wire.js';
import { plainText } from '../feeds/plainText.js';
import type { FeedDocument } from '../feeds/feedDocument.js';
import { FeedParseError } from '../feeds/feedParseError.js';
import { FeedFetchError, fetchFeed, type FetchOptions } from '../feeds/feedFetcher.js';
import { nextPollAt, spreadOffset } from '../feeds/pollSchedule.js';
import type { Logger } from '../log.js';
import {
  ConflictError,
  type FeedPollUpdate,
  type FeedRecord,
  type FeedStore,
  type UserRecord,
} from '../store/store.js';
import { DomainError } from './errors.js';
import { toNotificationItem } from './notificationItems.js';
import type { Push } from './push.js';

export interface FeedOptions {
  store: FeedStore;
  push: Push;
  publicUrl: string;
  fetch: Pick<FetchOptions, 'userAgent' | 'allowPrivate' | 'timeoutMs'>;
  intervalMs: number;
  log: Logger;
  now?: () => number;
}

export function toFeedInfo(feed: FeedRecord): FeedInfo {
  return {
    id: feed.id,
    url: feed.url,
    title: feed.title,
    status: feed.status,
    lastPolledAt: feed.lastPolledAt ?? null,
    lastError: feed.lastError ?? null,
    nextPollAt: feed.nextPollAt,
  };
}

function requireAdmin(user: UserRecord): void {
  if (!user.isAdmin) throw new DomainError('forbidden', 'Only admins can manage feeds.');
}

/** What the admin reads: the fetcher's and the parser's reasons are already sentences. */
function reasonOf(error: unknown): string {
  if (error instanceof FeedFetchError || error instanceof FeedParseError) return error.message;
  return 'the feed could not be read';
}

export function createFeeds(options: FeedOptions) {
  const { store, push, publicUrl, log } = options;
  const now = options.now ?? Date.now;
  const iso = (ms: number): string => new Date(ms).toISOString();
  /** A claim outlives the slowest possible poll, so it only expires when its node died. */
  const claimMs = options.fetch.timeoutMs * 2 + 30_000;

  async function fetchAndRead(
    url: string,
    validators: Pick<FetchOptions, 'etag' | 'lastModified'> = {},
  ) {
    const result = await fetchFeed(url, { ...options.fetch, ...validators }, now);
    if (result.kind === 'not-modified') return { result, document: undefined };
    // The parsers (feedsmith, fast-xml-parser: about 11 MB resident) load with the first feed a
    // server reads; a blog that follows none never needs them.
    const { readFeedDocument } = await import('../feeds/feedDocument.js');
    const document: FeedDocument = readFeedDocument(result.body, result.url);
    return { result, document };
  }

  /** Polls a feed this node has claimed; returns how many entries became posts. */
  async function pollClaimed(feed: FeedRecord): Promise<number> {
    const polledAt = now();
    let update: FeedPollUpdate;
    let entries: FeedDocument['entries'] = [];
    try {
      const { result, document } = await fetchAndRead(feed.url, {
        etag: feed.etag,
        lastModified: feed.lastModified,
      });
      // 304: nothing was parsed; the validators stay as they were.
      update = {
        title: document?.title ?? feed.title,
        status: 'ok',
        failures: 0,
        lastPolledAt: iso(polledAt),
        nextPollAt: iso(
          nextPollAt(polledAt, options.intervalMs, {
            ok: true,
            failures: 0,
            maxAgeSeconds: result.maxAgeSeconds,
            retryAfterSeconds: result.retryAfterSeconds,
            ttlMinutes: document?.ttlMinutes,
          }),
        ),
        ...(result.kind === 'fetched'
          ? {
              ...(result.etag ? { etag: result.etag } : {}),
              ...(result.lastModified ? { lastModified: result.lastModified } : {}),
            }
          : {
              ...(feed.etag ? { etag: feed.etag } : {}),
              ...(feed.lastModified ? { lastModified: feed.lastModified } : {}),
            }),
      };
      entries = document?.entries ?? [];
    } catch (error) {
      const failures = feed.failures + 1;
      const hints = error instanceof FeedFetchError ? error.hints : {};
      update = {
        title: feed.title,
        status: 'failing',
        failures,
        lastError: reasonOf(error),
        lastPolledAt: iso(polledAt),
        nextPollAt: iso(
          nextPollAt(polledAt, options.intervalMs, {
            ok: false,
            failures,
            retryAfterSeconds: hints.retryAfterSeconds,
          }),
        ),
        ...(feed.etag ? { etag: feed.etag } : {}),
        ...(feed.lastModified ? { lastModified: feed.lastModified } : {}),
      };
      if (!(error instanceof FeedFetchError || error instanceof FeedParseError)) {
        log.error(`feed ${feed.url} failed unexpectedly`, error);
      }
    }
    // Feeds list their newest entry first; posts are published oldest first.
    const published = await store.recordPoll(
      feed.id,
      update,
      [...entries].reverse().map((entry) => ({
        key: entry.key,
        title: entry.title,
        html: entry.html,
        excerpt: plainText(entry.html, LIMITS.excerptMax),
        url: entry.link,
      })),
    );
    // Pushed in the same turn as the write resolved (see push.ts).
    for (const { event } of published ?? []) {
      push.newPost(toNotificationItem(publicUrl, { event, read: false }), feed.addedBy);
    }
    return published?.length ?? 0;
  }

  async function requireFeed(id: string): Promise<FeedRecord> {
    const feed = await store.getFeed(id);
    if (!feed) throw new DomainError('not_found', 'There is no feed with this id.');
    return feed;
  }

  return {
    async add(admin: UserRecord, url: string): Promise<FeedInfo> {
      requireAdmin(admin);
      let read;
      try {
        read = await fetchAndRead(url);
      } catch (error) {
        throw new DomainError(
          'invalid_payload',
          `That feed cannot be followed: ${reasonOf(error)}.`,
        );
      }
      const { result, document } = read;
      if (result.kind !== 'fetched' || !document) {
        throw new DomainError('invalid_payload', 'That feed answered without a body.');
      }
      const at = now();
      try {
        const feed = await store.addFeed(
          {
            url,
            title: document.title,
            addedBy: admin.id,
            lastPolledAt: iso(at),
            // The first poll falls somewhere in the interval, so feeds added together spread out.
            nextPollAt: iso(at + spreadOffset(url, options.intervalMs)),
            ...(result.etag ? { etag: result.etag } : {}),
            ...(result.lastModified ? { lastModified: result.lastModified } : {}),
          },
          document.entries.map((entry) => entry.key),
        );
        return toFeedInfo(feed);
      } catch (error) {
        if (error instanceof ConflictError) {
          throw new DomainError('conflict', 'This feed is already followed.');
        }
        throw error;
      }
    },

    async list(admin: UserRecord): Promise<FeedInfo[]> {
      requireAdmin(admin);
      return (await store.listFeeds()).map(toFeedInfo);
    },

    async remove(admin: UserRecord, id: string): Promise<void> {
      requireAdmin(admin);
      if (!(await store.removeFeed(id))) {
        throw new DomainError('not_found', 'There is no feed with this id.');
      }
    },

    /** Polls now, whatever the schedule says; refused while another poll of it runs. */
    async refresh(admin: UserRecord, id: string): Promise<{ newEntries: number; feed: FeedInfo }> {
      requireAdmin(admin);
      await requireFeed(id);
      const at = now();
      const claimed = await store.claimFeed(id, iso(at), iso(at + claimMs));
      if (!claimed) {
        throw new DomainError(
          'conflict',
          'This feed is being polled right now; try again shortly.',
        );
      }
      const newEntries = await pollClaimed(claimed);
      return { newEntries, feed: toFeedInfo(await requireFeed(id)) };
    },

    /** The poller's work: claim the feeds that are due, up to `limit`, and poll them. */
    async pollDue(limit: number): Promise<Promise<number>[]> {
      const at = now();
      const due = await store.listDueFeeds(iso(at), limit);
      const polls: Promise<number>[] = [];
      for (const feed of due) {
        const claimed = await store.claimFeed(feed.id, iso(at), iso(at + claimMs));
        if (claimed) polls.push(pollClaimed(claimed));
      }
      return polls;
    },
  };
}

export type Feeds = ReturnType<typeof createFeeds>;
