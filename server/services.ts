/** Builds the domain services over a store; the server and the admin commands share them. */
import type { FeedConfig } from './config.js';
import { createAccounts } from './domain/accounts.js';
import { createAnnouncements } from './domain/announcements.js';
import { createFeeds } from './domain/feeds.js';
import { createInbox } from './domain/inbox.js';
import { createPosts } from './domain/posts.js';
import type { Push } from './domain/push.js';
import type { Logger } from './log.js';
import type { Store } from './store/store.js';
import { readVersion } from './version.js';

export interface ServiceOptions {
  store: Store;
  push: Push;
  publicUrl: string;
  passwordCost: number;
  feeds: FeedConfig;
  log: Logger;
  /** Let self-service sign-up create the first account; see server/domain/setupCode.ts. */
  setupCodeDigests?: readonly string[];
  /** Days a device token may go unused; the accounts service's default when omitted. */
  tokenIdleDays?: number;
}

export function createServices({
  store,
  push,
  publicUrl,
  passwordCost,
  feeds,
  log,
  setupCodeDigests,
  tokenIdleDays,
}: ServiceOptions) {
  return {
    accounts: createAccounts({
      store,
      push,
      passwordCost,
      ...(setupCodeDigests ? { setupCodeDigests } : {}),
      ...(tokenIdleDays ? { tokenIdleDays } : {}),
    }),
    posts: createPosts({ store, push, publicUrl }),
    inbox: createInbox({ store, push, publicUrl }),
    announcements: createAnnouncements({ store, push, publicUrl }),
    feeds: createFeeds({
      store,
      push,
      publicUrl,
      log,
      intervalMs: feeds.intervalSeconds * 1000,
      fetch: {
        // Names us and where we live, so a blog's owner can see who polls and reach us.
        userAgent: `Tidings/${readVersion()} (+${publicUrl}; feed follower)`,
        allowPrivate: feeds.allowPrivate,
        timeoutMs: feeds.timeoutSeconds * 1000,
      },
    }),
  };
}

export type Services = ReturnType<typeof createServices>;
