/** What the blog's pages are built from: the API's domain services, limits and log. */
import type { Accounts } from '../domain/accounts.js';
import type { Announcements } from '../domain/announcements.js';
import type { Feeds } from '../domain/feeds.js';
import type { Inbox } from '../domain/inbox.js';
import type { Posts } from '../domain/posts.js';
import type { RateLimits } from '../edge/rateLimits.js';
import type { Logger } from '../log.js';
import type { RenderedPosts } from './renderedPosts.js';
import type { Visitors } from './visitors.js';

export interface WebDependencies {
  accounts: Accounts;
  posts: Posts;
  inbox: Inbox;
  announcements: Announcements;
  feeds: Feeds;
  /** The API's limits, so signing in, signing up and publishing cost the same on both paths. */
  rateLimits: RateLimits;
  log: Logger;
  /** Where users reach the blog; the feeds' absolute links start with it. */
  publicUrl: string;
}

/** Each group of page routes also gets the visitor of the request it answers. */
export interface PageRouteDependencies extends WebDependencies {
  visitors: Visitors;
  renderedPosts: RenderedPosts;
}
