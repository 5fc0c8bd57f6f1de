/**
 * Turns the text of a data file into a StoreDocument, or explains exactly why it cannot. It never
 * guesses: a file that is truncated, not JSON, of another version or the wrong shape is refused
 * with a CorruptDataError that names the file and the problem, and the caller leaves it alone.
 * A version 1 file (events one object each) or 2 (times as recorded, likers by id) is migrated in
 * memory to the current version. A version 3 file's shape is checked by hand (quickDocument.ts),
 * and by the zod schema only when that check does not pass it, to say what is wrong.
 */
import type { z } from 'zod';
import { describeIssues } from '../../../contract/wire.js';
import { CorruptDataError } from '../store.js';
import {
  DOCUMENT_VERSION,
  DocumentSchema,
  DocumentV1Schema,
  DocumentV2Schema,
  QuickDocumentV2Schema,
  type EventColumns,
  type LikerList,
  type StoreDocument,
  type StoreDocumentV1,
} from './document.js';
import { columnsFromVersion2, eventColumns } from './eventLog.js';
import { isQuickDocument } from './quickDocument.js';
import { indexAfter } from './sortedSeqs.js';

export function parseDocument(text: string, file: string): StoreDocument {
  if (text.trim() === '') {
    throw new CorruptDataError(file, 'the file is empty (was it truncated?)');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CorruptDataError(file, `not valid JSON (${detail}); was it truncated or edited?`);
  }
  const version =
    typeof raw === 'object' && raw !== null && 'version' in raw ? raw.version : undefined;
  if (version === 1) return fromVersion1(raw, file);
  if (version === 2) return fromVersion2(raw, file);
  if (version !== DOCUMENT_VERSION) {
    throw new CorruptDataError(
      file,
      `unsupported format version ${JSON.stringify(version)} (this server reads versions 1 to ${DOCUMENT_VERSION})`,
    );
  }
  const document = isQuickDocument(raw) ? raw : shapeOf(DocumentSchema, raw, file);
  checkSeqOrder(document.events.seq, document.latestSeq, file);
  checkColumns(document.events, file);
  checkLikers('likes', document.likes, document.users.length, file);
  checkLikers('notifiedUnlikes', document.notifiedUnlikes, document.users.length, file);
  return document;
}

/** The document if it has the schema's shape; otherwise what is wrong with it. */
function shapeOf<T>(schema: z.ZodType<T>, raw: unknown, file: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new CorruptDataError(file, `unexpected shape: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

function fromVersion2(raw: unknown, file: string): StoreDocument {
  // The quick schema passes less than the full one (never more); the full one says why not.
  const quick = QuickDocumentV2Schema.safeParse(raw);
  const old = quick.success ? quick.data : shapeOf(DocumentV2Schema, raw, file);
  checkSeqOrder(old.events.seq, old.latestSeq, file);
  // The checks of version 3's columns hold for version 2's once the times are moved on.
  const events = columnsFromVersion2(old.events);
  checkColumns(events, file);
  return { ...old, version: DOCUMENT_VERSION, events };
}

function fromVersion1(raw: unknown, file: string): StoreDocument {
  const parsed = DocumentV1Schema.safeParse(raw);
  if (!parsed.success) {
    throw new CorruptDataError(file, `unexpected shape: ${describeIssues(parsed.error)}`);
  }
  const old: StoreDocumentV1 = parsed.data;
  checkSeqOrder(
    old.events.map((event) => event.seq),
    old.latestSeq,
    file,
  );
  return { ...old, version: DOCUMENT_VERSION, events: eventColumns(old.events) };
}

/**
 * Every column holds one entry per event, and every reference names a string that exists; the
 * events' seqs are known to ascend.
 */
function checkColumns(columns: EventColumns, file: string): void {
  const count = columns.seq.length;
  const { strings, extras, id, idWidth, ...rest } = columns;
  checkIds(id, idWidth, count, file);
  for (const [name, column] of Object.entries(rest)) {
    if (column.length !== count) {
      throw new CorruptDataError(
        file,
        `events.${name} has ${column.length} entries for ${count} events`,
      );
    }
  }
  for (const name of ['audience', 'actor', 'post', 'postTitle', 'actorName'] as const) {
    const bad = firstAtOrPast(columns[name], strings.length);
    if (bad !== -1) {
      throw new CorruptDataError(
        file,
        `events.${name} of seq ${columns.seq[bad]} refers to string ${columns[name][bad]}, past the ${strings.length} there are`,
      );
    }
  }
  for (const [seq, extra] of extras) {
    const at = indexAfter(columns.seq, seq) - 1;
    if (columns.seq[at] !== seq) {
      throw new CorruptDataError(file, `events.extras names seq ${seq}, no event`);
    }
    // The column's ms order the events for retention; the time as written must be that time.
    if (extra.createdAt !== undefined && Date.parse(extra.createdAt) !== columns.createdAt[at]) {
      throw new CorruptDataError(
        file,
        `events.extras gives seq ${seq} the time ${extra.createdAt}, not events.createdAt's ${columns.createdAt[at]}`,
      );
    }
  }
}

/**
 * The position of the first value >= `limit`, or -1. A plain loop: the open runs it once per
 * column of a hundred thousand, mostly before V8 has optimised anything, where findIndex's call
 * of a closure per value cost several times as much.
 */
function firstAtOrPast(values: readonly number[], limit: number): number {
  for (let at = 0; at < values.length; at++) {
    if ((values[at] as number) >= limit) return at;
  }
  return -1;
}

/** The ids: an array of one per event, or one string of `idWidth` characters per event. */
function checkIds(
  id: string | string[],
  idWidth: number | undefined,
  count: number,
  file: string,
): void {
  if (typeof id !== 'string') {
    if (idWidth !== undefined) {
      throw new CorruptDataError(file, 'events.idWidth is given for ids that are an array');
    }
    if (id.length !== count) {
      throw new CorruptDataError(file, `events.id has ${id.length} entries for ${count} events`);
    }
    return;
  }
  if (idWidth === undefined) {
    throw new CorruptDataError(file, 'events.id is one string but events.idWidth is missing');
  }
  if (id.length !== idWidth * count) {
    throw new CorruptDataError(
      file,
      `events.id has ${id.length} characters for ${count} events of ${idWidth} each`,
    );
  }
}

/** Every position in a LikerList names a user of the file. */
function checkLikers(
  name: string,
  lists: Record<string, Readonly<LikerList>>,
  users: number,
  file: string,
): void {
  for (const [postId, likers] of Object.entries(lists)) {
    const bad = likers.find((liker) => typeof liker === 'number' && liker >= users);
    if (bad !== undefined) {
      throw new CorruptDataError(
        file,
        `${name} of post ${postId} names user position ${bad}, past the ${users} users`,
      );
    }
  }
}

/** The inbox indexes rely on events being in seq order and below the counter. */
function checkSeqOrder(seqs: readonly number[], latestSeq: number, file: string): void {
  let previous = 0;
  for (let at = 0; at < seqs.length; at++) {
    const seq = seqs[at] as number;
    if (seq <= previous) {
      throw new CorruptDataError(file, `events are out of order at seq ${seq}`);
    }
    previous = seq;
  }
  if (previous > latestSeq) {
    throw new CorruptDataError(
      file,
      `latestSeq ${latestSeq} is below the newest event's seq ${previous}`,
    );
  }
}
