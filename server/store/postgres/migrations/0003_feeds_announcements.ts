/**
 * Announcements (a third event type, with an optional text and link) and followed feeds: the
 * feeds with their polling state and claim, the keys of the entries seen, and imported posts'
 * source.
 */
export default {
  version: 3,
  name: 'announcements, followed feeds',
  sql: `
    ALTER TABLE events DROP CONSTRAINT IF EXISTS events_type_check;
    ALTER TABLE events ADD CONSTRAINT events_type_check
      CHECK (type IN ('new_post', 'post_liked', 'announcement'));
    ALTER TABLE events ADD COLUMN url text, ADD COLUMN text text;
    ALTER TABLE posts ADD COLUMN source_feed_id text, ADD COLUMN source_feed_title text,
      ADD COLUMN source_url text;
    CREATE TABLE feeds (
      id text PRIMARY KEY,
      url text NOT NULL UNIQUE,
      title text NOT NULL,
      added_by text NOT NULL,
      created_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('ok', 'failing')),
      last_error text,
      failures integer NOT NULL DEFAULT 0,
      last_polled_at timestamptz,
      next_poll_at timestamptz NOT NULL,
      etag text,
      last_modified text,
      claimed_until timestamptz
    );
    CREATE INDEX feeds_due ON feeds (next_poll_at);
    CREATE TABLE feed_entries_seen (
      feed_id text NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
      key text NOT NULL,
      seen_at timestamptz NOT NULL,
      PRIMARY KEY (feed_id, key)
    );
  `,
};
