/**
 * Turns the text of a data file into a StoreDocument, or explains exactly why it cannot. It never
 * guesses: a file that is truncated, not JSON, of another version or the wrong shape is refused
 * with a CorruptDataError that names the file and the problem, and the caller leaves it alone.
 */
import { describeIssues } from '../../../contract/wire.js';
import { CorruptDataError } from '../store.js';
import { DOCUMENT_VERSION, DocumentSchema, type StoreDocument } from './document.js';

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
  if (version !== DOCUMENT_VERSION) {
    throw new CorruptDataError(
      file,
      `unsupported format version ${JSON.stringify(version)} (this server reads version ${DOCUMENT_VERSION})`,
    );
  }
  const parsed = DocumentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CorruptDataError(file, `unexpected shape: ${describeIssues(parsed.error)}`);
  }
  checkSeqOrder(parsed.data, file);
  return parsed.data;
}

/** The inbox indexes rely on events being in seq order and below the counter. */
function checkSeqOrder(document: StoreDocument, file: string): void {
  let previous = 0;
  for (const event of document.events) {
    if (event.seq <= previous) {
      throw new CorruptDataError(file, `events are out of order at seq ${event.seq}`);
    }
    previous = event.seq;
  }
  if (previous > document.latestSeq) {
    throw new CorruptDataError(
      file,
      `latestSeq ${document.latestSeq} is below the newest event's seq ${previous}`,
    );
  }
}
