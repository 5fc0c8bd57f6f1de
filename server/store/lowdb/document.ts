/**
 * The shape of the data file (`tidings.json`), versioned so later versions can migrate it. The
 * schema is checked on every open: a file that does not match is refused, never "repaired".
 *
 * Everything a user can see is derived from these lists; nothing is stored per recipient.
 * docs/STORAGE.md describes each field.
 */
import { z } from 'zod';
import type { EventRecord, FeedRecord, PostRecord, TokenRecord, UserRecord } from '../store.js';
import type { SubscriptionSpan } from '../visibility.js';

export const DOCUMENT_VERSION = 1;

// Only structure is checked, never content limits: the file must accept everything the store
// accepted from its callers, or a valid write could become a file that refuses to open.
const Id = z.string();
const Seq = z.number().int().min(0);
const Timestamp = z.iso.datetime();

export const UserSchema = z.strictObject({
  id: Id,
  username: z.string(),
  passwordHash: z.string(),
  isAdmin: z.boolean(),
  isAuthor: z.boolean(),
  createdAt: Timestamp,
}) satisfies z.ZodType<UserRecord>;

export const TokenSchema = z.strictObject({
  id: Id,
  userId: Id,
  tokenHash: z.string(),
  device: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.optional(),
}) satisfies z.ZodType<TokenRecord>;

export const PostSchema = z.strictObject({
  id: Id,
  authorId: Id,
  title: z.string(),
  body: z.string(),
  excerpt: z.string().optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  source: z.strictObject({ feedId: Id, feedTitle: z.string(), url: z.string() }).optional(),
}) satisfies z.ZodType<PostRecord>;

export const EventSchema = z.strictObject({
  seq: Seq.min(1),
  id: Id,
  type: z.enum(['new_post', 'post_liked', 'announcement']),
  createdAt: Timestamp,
  audience: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('subscribers') }),
    z.strictObject({ kind: z.literal('user'), userId: Id }),
  ]),
  actorId: Id,
  postId: Id,
  postTitle: z.string(),
  actorName: z.string(),
  url: z.string().optional(),
  text: z.string().optional(),
}) satisfies z.ZodType<EventRecord>;

export const FeedSchema = z.strictObject({
  id: Id,
  url: z.string(),
  title: z.string(),
  addedBy: Id,
  createdAt: Timestamp,
  status: z.enum(['ok', 'failing']),
  lastError: z.string().optional(),
  failures: z.number().int().min(0),
  lastPolledAt: Timestamp.optional(),
  nextPollAt: Timestamp,
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  claimedUntil: Timestamp.optional(),
}) satisfies z.ZodType<FeedRecord>;

export const SpanSchema = z
  .tuple([Seq, Seq.nullable()])
  .readonly() satisfies z.ZodType<SubscriptionSpan>;

export const ReadStateSchema = z.strictObject({
  /** Every visible event with seq <= cursor is read. */
  cursor: Seq,
  /** Seqs above the cursor read out of order, ascending. */
  above: z.array(Seq),
});

export const DocumentSchema = z.strictObject({
  version: z.literal(DOCUMENT_VERSION),
  settings: z.strictObject({ registrationOpen: z.boolean() }),
  /** The newest seq ever issued; never reused, even after retention dropped the event. */
  latestSeq: Seq,
  /**
   * The last journal commit this snapshot includes (journal.ts). Opening replays only later
   * ones, so a crash between writing a snapshot and emptying the journal applies nothing twice.
   * Absent in files written before the journal existed: 0.
   */
  commit: Seq.optional(),
  users: z.array(UserSchema),
  tokens: z.array(TokenSchema),
  /** In publish order, oldest first. */
  posts: z.array(PostSchema),
  /** postId → ids of the users who like it now. */
  likes: z.record(Id, z.array(Id)),
  /** postId → users whose like was notified and later taken back: liking again stays silent. */
  notifiedUnlikes: z.record(Id, z.array(Id)),
  /** userId → the spans of seqs during which they were subscribed. */
  subscriptions: z.record(Id, z.array(SpanSchema)),
  /** Ascending by seq. */
  events: z.array(EventSchema),
  /** userId → read state; users who never read anything have no entry. */
  readState: z.record(Id, ReadStateSchema),
  /** Followed feeds (absent in files from before feeds: none). */
  feeds: z.array(FeedSchema).optional(),
  /** feedId → keys of the entries seen, oldest first, the newest SEEN_KEYS_MAX kept. */
  feedEntriesSeen: z.record(Id, z.array(z.string())).optional(),
});

export type StoreDocument = z.infer<typeof DocumentSchema>;
export type ReadState = z.infer<typeof ReadStateSchema>;

export function emptyDocument(): StoreDocument {
  return {
    version: DOCUMENT_VERSION,
    settings: { registrationOpen: true },
    latestSeq: 0,
    users: [],
    tokens: [],
    posts: [],
    likes: {},
    notifiedUnlikes: {},
    subscriptions: {},
    events: [],
    readState: {},
  };
}
