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
import {
  isPlainRecord,
  isPlainRecords,
  TIMESTAMP_PATTERN,
  type FieldCheck,
  type FieldSpec,
} from './plainRecords.js';
import { TIME_LIMIT } from './isoTime.js';

/**
 * 3: fewer values for JSON.parse to make (issue 14): the events' times as epoch ms, the likers as
 * positions in `users`. 2: events column-wise (EventColumnsSchema). Versions 1 and 2 still open:
 * parseDocument.ts migrates them in memory, and the next snapshot is written as version 3.
 */
export const DOCUMENT_VERSION = 3;

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

/** UserSchema's fields, for the open's quick check (plainRecords.ts). */
export const USER_FIELDS = {
  id: 'string',
  username: 'string',
  passwordHash: 'string',
  isAdmin: 'boolean',
  isAuthor: 'boolean',
  createdAt: 'timestamp',
} as const satisfies Record<keyof z.infer<typeof UserSchema>, FieldSpec>;

export const TokenSchema = z.strictObject({
  id: Id,
  userId: Id,
  tokenHash: z.string(),
  device: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.optional(),
}) satisfies z.ZodType<TokenRecord>;

/** TokenSchema's fields, for the open's quick check (plainRecords.ts). */
export const TOKEN_FIELDS = {
  id: 'string',
  userId: 'string',
  tokenHash: 'string',
  device: 'string',
  createdAt: 'timestamp',
  lastUsedAt: 'timestamp?',
} as const satisfies Record<keyof z.infer<typeof TokenSchema>, FieldSpec>;

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

/** PostSchema's fields, for the open's quick check (quickDocument.ts). */
export const POST_FIELDS = {
  id: 'string',
  authorId: 'string',
  title: 'string',
  body: 'string',
  excerpt: 'string?',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
  source: {
    is: isPlainRecord({ feedId: 'string', feedTitle: 'string', url: 'string' }),
    optional: true,
  },
} as const satisfies Record<keyof z.infer<typeof PostSchema>, FieldSpec | FieldCheck>;

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

/** FeedSchema's fields, for the open's quick check (quickDocument.ts). */
export const FEED_FIELDS = {
  id: 'string',
  url: 'string',
  title: 'string',
  addedBy: 'string',
  createdAt: 'timestamp',
  status: { is: (value) => value === 'ok' || value === 'failing' },
  lastError: 'string?',
  failures: { is: isSeq },
  lastPolledAt: 'timestamp?',
  nextPollAt: 'timestamp',
  etag: 'string?',
  lastModified: 'string?',
  claimedUntil: 'timestamp?',
} as const satisfies Record<keyof z.infer<typeof FeedSchema>, FieldSpec | FieldCheck>;

export const SpanSchema = z
  .tuple([Seq, Seq.nullable()])
  .readonly() satisfies z.ZodType<SubscriptionSpan>;

export const ReadStateSchema = z.strictObject({
  /** Every visible event with seq <= cursor is read. */
  cursor: Seq,
  /** Seqs above the cursor read out of order, ascending. */
  above: z.array(Seq),
});

/** An event's type in EventColumns: its position here. */
export const EVENT_TYPES = [
  'new_post',
  'post_liked',
  'announcement',
] as const satisfies readonly EventRecord['type'][];

/**
 * A column: an array of a hundred thousand values of one kind. Checked in one loop rather than
 * by a schema per element (which costs zod about 0.2 µs a value and copies the array: 0.2 s of an
 * open at the likes data), and kept as the very array JSON.parse made.
 */
function column<T>(what: string, isValue: (value: unknown) => value is T) {
  return z.custom<T[]>((value) => Array.isArray(value) && value.every(isValue), {
    message: `expected an array of ${what}`,
  });
}

const intColumn = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  column(
    `integers from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}`,
    (value): value is number =>
      typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
  );

const stringColumn = column('strings', (value): value is string => typeof value === 'string');

/** What Seq passes (zod's int() is a safe integer). */
export function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export const isSpan = (span: unknown): span is SubscriptionSpan =>
  Array.isArray(span) &&
  span.length === 2 &&
  isSeq(span[0]) &&
  (span[1] === null || isSeq(span[1]));

/**
 * userId → subscription spans: ten thousand entries at the likes data. Checked in one loop too,
 * as zod's record would check each key and copy the object, key by key (0.1 s of an open).
 */
const spansByUser = z.custom<Record<string, SubscriptionSpan[]>>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((spans) => Array.isArray(spans) && spans.every(isSpan)),
  { message: 'expected user id → subscription spans [from, to or null]' },
);

const timestampColumn = column(
  'ISO 8601 timestamps',
  (value): value is string => typeof value === 'string' && TIMESTAMP_PATTERN.test(value),
);

/**
 * A post's users: a position in `users` each, or the user's id for one that is not in `users`
 * (a version 2 file's lists are all ids). parseDocument.ts checks that each position exists.
 */
export type LikerList = (number | string)[];

const likerColumn = column(
  'user positions or ids',
  (value): value is number | string =>
    typeof value === 'string' ||
    (typeof value === 'number' && Number.isInteger(value) && value >= 0),
);

/**
 * The events column-wise: position i of every array is the i-th event, ascending by seq. The ids,
 * titles and names that events repeat are written once, in `strings`, and referred to by position,
 * so a hundred thousand events are a few arrays of small numbers rather than a hundred thousand
 * objects that repeat every key (a third of the file's size, and of the time JSON.parse takes).
 * parseDocument.ts checks that the arrays agree in length and refer to strings that exist.
 */
const eventColumnsV2 = {
  strings: stringColumn,
  seq: intColumn(1),
  id: stringColumn,
  /** A position in EVENT_TYPES. */
  type: intColumn(0, EVENT_TYPES.length - 1),
  createdAt: timestampColumn,
  /** -1: the subscribers; otherwise the user the event is addressed to. */
  audience: intColumn(-1),
  /** Positions in `strings`, as are the next three. */
  actor: intColumn(0),
  post: intColumn(0),
  postTitle: intColumn(0),
  actorName: intColumn(0),
  /** [seq, fields] of the few events with a url or a text (announcements, imported posts). */
  extras: z.array(
    z.tuple([
      Seq.min(1),
      z.strictObject({ url: z.string().optional(), text: z.string().optional() }),
    ]),
  ),
};

/**
 * Version 3's events: version 2's, but the ids one string when they are as long as one another,
 * and each time in epoch ms: JSON.parse then makes one string and one flat array of numbers
 * instead of two hundred thousand strings, kept as long as their events. The store records every
 * time with toISOString, which the ms give back exactly; a time that they would not (another
 * precision, from an older file) is also kept as written, in `extras`.
 */
export const EventColumnsSchema = z.strictObject({
  ...eventColumnsV2,
  /** The ids, or (when all are `idWidth` characters long) all of them in one string. */
  id: z.union([stringColumn, z.string()]),
  idWidth: z.number().int().min(1).optional(),
  /** Epoch ms. */
  createdAt: intColumn(-TIME_LIMIT, TIME_LIMIT),
  /** [seq, fields] of the few events with a url, a text or a time the ms do not give exactly. */
  extras: z.array(
    z.tuple([
      Seq.min(1),
      z.strictObject({
        url: z.string().optional(),
        text: z.string().optional(),
        createdAt: Timestamp.optional(),
      }),
    ]),
  ),
});

/** Version 2's events: their times as recorded. */
export const EventColumnsV2Schema = z.strictObject(eventColumnsV2);

const documentFields = {
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
  /** postId → ids of the users who like it now (version 3: a LikerList). */
  likes: z.record(Id, stringColumn),
  /** postId → users whose like was notified and later taken back: liking again stays silent. */
  notifiedUnlikes: z.record(Id, z.array(Id)),
  /** userId → the spans of seqs during which they were subscribed. */
  subscriptions: spansByUser,
  /** userId → read state; users who never read anything have no entry. */
  readState: z.record(Id, ReadStateSchema),
  /** Followed feeds (absent in files from before feeds: none). */
  feeds: z.array(FeedSchema).optional(),
  /** feedId → keys of the entries seen, oldest first, the newest SEEN_KEYS_MAX kept. */
  feedEntriesSeen: z.record(Id, z.array(z.string())).optional(),
};

export const DocumentSchema = z.strictObject({
  version: z.literal(DOCUMENT_VERSION),
  ...documentFields,
  likes: z.record(Id, likerColumn),
  notifiedUnlikes: z.record(Id, likerColumn),
  /** Ascending by seq. */
  events: EventColumnsSchema,
});

/** Version 2: the events' times as recorded, the likers as ids (which a LikerList may hold). */
export const DocumentV2Schema = z.strictObject({
  version: z.literal(2),
  ...documentFields,
  events: EventColumnsV2Schema,
});

/** Version 1, as written before issue 14: the same but for the events, one object each. */
export const DocumentV1Schema = z.strictObject({
  version: z.literal(1),
  ...documentFields,
  /** Ascending by seq. */
  events: z.array(EventSchema),
});

/**
 * Version 2's schema with the users and tokens checked by plainRecords.ts and kept as the very
 * objects JSON.parse made. It passes less than DocumentV2Schema (never more), and an equal
 * document: parseDocument.ts tries it first and asks DocumentV2Schema only about a file it does
 * not pass. (Version 3's quick check is quickDocument.ts.)
 */
export const QuickDocumentV2Schema = DocumentV2Schema.extend({
  users: z.custom<z.infer<typeof UserSchema>[]>(isPlainRecords(USER_FIELDS)),
  tokens: z.custom<z.infer<typeof TokenSchema>[]>(isPlainRecords(TOKEN_FIELDS)),
});

export type StoreDocument = z.infer<typeof DocumentSchema>;
export type StoreDocumentV1 = z.infer<typeof DocumentV1Schema>;
export type EventColumns = z.infer<typeof EventColumnsSchema>;
export type EventColumnsV2 = z.infer<typeof EventColumnsV2Schema>;
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
    events: emptyEventColumns(),
    readState: {},
  };
}

export function emptyEventColumns(): EventColumns {
  return {
    strings: [],
    seq: [],
    id: [],
    type: [],
    createdAt: [],
    audience: [],
    actor: [],
    post: [],
    postTitle: [],
    actorName: [],
    extras: [],
  };
}
