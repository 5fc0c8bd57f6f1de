/**
 * Turns the text of a data file into a StoreDocument, or explains exactly why it cannot. It never
 * guesses: a file that is truncated, not JSON, of another version or the wrong shape is refused
 * with a CorruptDataError that names the file and the problem, and the caller leaves it alone.
 * A version 1 file (events one object each) is migrated in memory to the current version.
 */
import { describeIssues } from '../../../contract/wire.js';
import { CorruptDataError } from '../store.js';
import {
  DOCUMENT_VERSION,
  DocumentSchema,
  DocumentV1Schema,
  QuickDocumentSchema,
  type EventColumns,
  type StoreDocument,
  type StoreDocumentV1,
} from './document.js';
import { eventColumns } from './eventLog.js';

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
  if (version !== DOCUMENT_VERSION) {
    throw new CorruptDataError(
      file,
      `unsupported format version ${JSON.stringify(version)} (this server reads versions 1 and ${DOCUMENT_VERSION})`,
    );
  }
  const quick = QuickDocumentSchema.safeParse(raw);
  const parsed = quick.success ? quick : DocumentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CorruptDataError(file, `unexpected shape: ${describeIssues(parsed.error)}`);
  }
  checkColumns(parsed.data.events, file);
  checkSeqOrder(parsed.data.events.seq, parsed.data.latestSeq, file);
  return parsed.data;
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

/** Every column holds one entry per event, and every reference names a string that exists. */
function checkColumns(columns: EventColumns, file: string): void {
  const count = columns.seq.length;
  const { strings, extras, ...rest } = columns;
  for (const [name, column] of Object.entries(rest)) {
    if (column.length !== count) {
      throw new CorruptDataError(
        file,
        `events.${name} has ${column.length} entries for ${count} events`,
      );
    }
  }
  for (const name of ['audience', 'actor', 'post', 'postTitle', 'actorName'] as const) {
    const bad = columns[name].findIndex((ref) => ref >= strings.length);
    if (bad !== -1) {
      throw new CorruptDataError(
        file,
        `events.${name} of seq ${columns.seq[bad]} refers to string ${columns[name][bad]}, past the ${strings.length} there are`,
      );
    }
  }
  if (extras.length === 0) return;
  // A set of a hundred thousand seqs for the few extras: built only when there are some.
  const seqs = new Set(columns.seq);
  for (const [seq] of extras) {
    if (!seqs.has(seq))
      throw new CorruptDataError(file, `events.extras names seq ${seq}, no event`);
  }
}

/** The inbox indexes rely on events being in seq order and below the counter. */
function checkSeqOrder(seqs: readonly number[], latestSeq: number, file: string): void {
  let previous = 0;
  for (const seq of seqs) {
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
