/**
 * The open's check of a version 3 data file's shape, by hand: what DocumentSchema checks, in plain
 * loops over the values JSON.parse made, with no copy of them. zod, asked first at every open,
 * cost 0.07 s of an open at the likes data, most of it its first run of each schema in the
 * process; it is now asked only about a file this check does not pass, to say what is wrong.
 *
 * It must never pass what DocumentSchema refuses (the file is refused, never repaired), and what
 * it passes the schema returns unchanged, so the caller keeps the parsed value itself.
 * test/store/quickDocument.test.ts holds its field lists to the schemas' and tries both on the
 * same bad values.
 */
import type { SubscriptionSpan } from '../visibility.js';
import {
  DOCUMENT_VERSION,
  EVENT_TYPES,
  FEED_FIELDS,
  isSeq,
  isSpan,
  POST_FIELDS,
  TOKEN_FIELDS,
  USER_FIELDS,
  type StoreDocument,
} from './document.js';
import { TIME_LIMIT } from './isoTime.js';
import { isPlainRecord, isPlainRecords, type FieldCheck } from './plainRecords.js';

/** An array of integers in [min, max], in one loop (a hundred thousand per event column). */
function isIntColumn(min: number, max = Number.MAX_SAFE_INTEGER): (value: unknown) => boolean {
  return (value) => {
    if (!Array.isArray(value)) return false;
    for (let at = 0; at < value.length; at++) {
      const item: unknown = value[at];
      if (typeof item !== 'number' || !Number.isInteger(item) || item < min || item > max) {
        return false;
      }
    }
    return true;
  };
}

/**
 * The events' times: isIntColumn's loop for [-TIME_LIMIT, TIME_LIMIT], written out again on
 * purpose. The times are too big for V8's small integers, so their array holds doubles; run
 * through isIntColumn's code (which V8 optimises for the other columns' small integers, and
 * shares between its closures) it threw that code away, and the columns after it ran
 * unoptimised: 20 ms of the open at the likes data.
 */
function isTimeColumn(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (let at = 0; at < value.length; at++) {
    const item: unknown = value[at];
    if (
      typeof item !== 'number' ||
      !Number.isInteger(item) ||
      item < -TIME_LIMIT ||
      item > TIME_LIMIT
    ) {
      return false;
    }
  }
  return true;
}

function isStringColumn(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (let at = 0; at < value.length; at++) if (typeof value[at] !== 'string') return false;
  return true;
}

/** A record of `isValue`s by string key; one with a `__proto__` key is left to the schema. */
function isRecordOf(isValue: (value: unknown) => boolean): (value: unknown) => boolean {
  return (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !Object.hasOwn(value, '__proto__') &&
    Object.values(value).every(isValue);
}

/** A LikerList: user positions (whole numbers from 0) or ids. */
function isLikerList(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (let at = 0; at < value.length; at++) {
    const item: unknown = value[at];
    if (typeof item === 'string') continue;
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0) return false;
  }
  return true;
}

function isSpans(value: unknown): value is SubscriptionSpan[] {
  return Array.isArray(value) && value.every(isSpan);
}

const isExtra = isPlainRecord({
  url: 'string?',
  text: 'string?',
  createdAt: 'timestamp?',
});

/** [seq, fields] of the few events with a url, a text or a time the ms do not give exactly. */
function isExtras(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (extra: unknown) =>
        Array.isArray(extra) &&
        extra.length === 2 &&
        isSeq(extra[0]) &&
        extra[0] >= 1 &&
        isExtra(extra[1]),
    )
  );
}

const must = (is: (value: unknown) => boolean): FieldCheck => ({ is });
const may = (is: (value: unknown) => boolean): FieldCheck => ({ is, optional: true });

/** EventColumnsSchema's fields. */
export const EVENT_COLUMN_CHECKS = {
  strings: must(isStringColumn),
  seq: must(isIntColumn(1)),
  id: must((value) => typeof value === 'string' || isStringColumn(value)),
  idWidth: may((value) => isSeq(value) && value >= 1),
  type: must(isIntColumn(0, EVENT_TYPES.length - 1)),
  createdAt: must(isTimeColumn),
  audience: must(isIntColumn(-1)),
  actor: must(isIntColumn(0)),
  post: must(isIntColumn(0)),
  postTitle: must(isIntColumn(0)),
  actorName: must(isIntColumn(0)),
  extras: must(isExtras),
} as const;

/** DocumentSchema's fields. */
export const DOCUMENT_CHECKS = {
  version: must((value) => value === DOCUMENT_VERSION),
  settings: must(isPlainRecord({ registrationOpen: 'boolean' })),
  latestSeq: must(isSeq),
  commit: may(isSeq),
  users: must(isPlainRecords(USER_FIELDS)),
  tokens: must(isPlainRecords(TOKEN_FIELDS)),
  posts: must(isPlainRecords(POST_FIELDS)),
  likes: must(isRecordOf(isLikerList)),
  notifiedUnlikes: must(isRecordOf(isLikerList)),
  subscriptions: must(isRecordOf(isSpans)),
  readState: must(
    isRecordOf(
      isPlainRecord({
        cursor: must(isSeq),
        above: must((value) => Array.isArray(value) && value.every(isSeq)),
      }),
    ),
  ),
  feeds: may(isPlainRecords(FEED_FIELDS)),
  feedEntriesSeen: may(isRecordOf(isStringColumn)),
  events: must(isPlainRecord(EVENT_COLUMN_CHECKS)),
} as const;

const isDocument = isPlainRecord(DOCUMENT_CHECKS);

/** Whether `raw` (what JSON.parse made of a data file) has version 3's shape. */
export function isQuickDocument(raw: unknown): raw is StoreDocument {
  return isDocument(raw);
}
