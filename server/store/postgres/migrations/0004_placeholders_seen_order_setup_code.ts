/**
 * - event_placeholders: the temporary (negative) seqs events carry until the statement sent with
 *   COMMIT issues their real ones (events.ts), so event_seq's row lock spans only the commit.
 * - feed_entries_seen.position: the order keys were seen in, so a feed keeps only its newest
 *   SEEN_KEYS_MAX keys, as the lowdb driver does.
 * - setup_code: the one setup code of a database without accounts, shared by every node.
 */
export default {
  version: 4,
  name: 'event placeholders, seen-key order, shared setup code',
  sql: `
    CREATE SEQUENCE event_placeholders;
    ALTER TABLE feed_entries_seen ADD COLUMN position bigserial;
    CREATE INDEX feed_entries_seen_order ON feed_entries_seen (feed_id, position);
    CREATE TABLE setup_code (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      code_digest text NOT NULL,
      issued_by text NOT NULL,
      issued_at timestamptz NOT NULL
    );
  `,
};
