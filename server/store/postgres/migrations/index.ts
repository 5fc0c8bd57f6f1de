/**
 * Every schema migration, in order. A migration is never edited once released: a change to the
 * schema is a new file with the next version. migrate.ts applies the ones a database lacks.
 */
import initial from './0001_initial.js';
import tokensUsedPostsExcerpt from './0002_tokens_used_posts_excerpt.js';
import feedsAnnouncements from './0003_feeds_announcements.js';
import placeholdersSeenOrderSetupCode from './0004_placeholders_seen_order_setup_code.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  initial,
  tokensUsedPostsExcerpt,
  feedsAnnouncements,
  placeholdersSeenOrderSetupCode,
];
