/**
 * The advisory lock keys Tidings takes in its database (advisory locks are per database, so
 * another database on the same cluster never collides). One place, so no two uses share a key.
 */
import type { Queryable } from './database.js';

/** Held while migrations run: three nodes starting at once migrate once. */
export const MIGRATION_LOCK = 74_270_001;
/**
 * Held for a node's whole life: exclusively by a node without Redis (it must be alone), shared
 * by nodes with Redis (they may be many, but never beside a lone node).
 */
export const NODE_LOCK = 74_270_002;
/** Two-key form, with a hash of the user id: one user's read state and spans change one at a time. */
export const USER_LOCK_SPACE = 74_270_003;

/** One user's read state and subscription spans change one transaction at a time. */
export const lockUser = (client: Queryable, userId: string) =>
  client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [USER_LOCK_SPACE, userId]);
