/** What every router gets: the domain services, the session lookup and the rate limits. */
import type { Accounts } from '../domain/accounts.js';
import type { Announcements } from '../domain/announcements.js';
import type { Feeds } from '../domain/feeds.js';
import type { Inbox } from '../domain/inbox.js';
import type { Posts } from '../domain/posts.js';
import type { RateLimits } from '../edge/rateLimits.js';
import type { Sessions } from './session.js';

export interface RouteDependencies {
  accounts: Accounts;
  posts: Posts;
  inbox: Inbox;
  announcements: Announcements;
  feeds: Feeds;
  sessions: Sessions;
  rateLimits: RateLimits;
}

/**
 * An express route pattern from a contract path builder: `routeOf(API.post, 'id')` is
 * `/api/posts/:id`. The builders percent-encode, hence the decode.
 */
export function routeOf(build: (value: string) => string, param: string): string {
  return decodeURIComponent(build(`:${param}`));
}
