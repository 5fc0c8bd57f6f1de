/** Followed feeds as rows: the columns and the mapping to FeedRecord. */
import type { FeedRecord } from '../store.js';
import { optional, optionalTime } from './rows.js';

export interface FeedRow {
  id: string;
  url: string;
  title: string;
  added_by: string;
  created_at: Date;
  status: 'ok' | 'failing';
  last_error: string | null;
  failures: number;
  last_polled_at: Date | null;
  next_poll_at: Date;
  etag: string | null;
  last_modified: string | null;
  claimed_until: Date | null;
}

export const FEED_COLUMNS =
  'id, url, title, added_by, created_at, status, last_error, failures, last_polled_at, next_poll_at, etag, last_modified, claimed_until';

export const toFeed = (row: FeedRow): FeedRecord => ({
  id: row.id,
  url: row.url,
  title: row.title,
  addedBy: row.added_by,
  createdAt: row.created_at.toISOString(),
  status: row.status,
  ...optional('lastError', row.last_error),
  failures: row.failures,
  ...optionalTime('lastPolledAt', row.last_polled_at),
  nextPollAt: row.next_poll_at.toISOString(),
  ...optional('etag', row.etag),
  ...optional('lastModified', row.last_modified),
  ...optionalTime('claimedUntil', row.claimed_until),
});
