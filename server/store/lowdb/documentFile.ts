/**
 * The lowdb adapter for the data file: compact JSON over lowdb's TextFile, whose steno writer
 * writes a temp file and renames it over the old one, so the file on disk is always either the
 * previous complete version or the new complete version (never half of one).
 *
 * It remembers the text of the last successful read or write, or the bytes of the last snapshot a
 * fold worker wrote (`adopt`): that is exactly what is on disk, so a failed write can restore the
 * in-memory state from it without touching the disk again. Bytes stay bytes until then: decoding
 * them on the event loop would cost what the fold worker saved.
 */
import type { Adapter } from 'lowdb';
import type { StoreDocument } from './document.js';
import { parseDocument } from './parseDocument.js';

export class DocumentFile implements Adapter<StoreDocument> {
  #lastText: string | Uint8Array | undefined;
  #lastBytes = 0;
  #lastWriteMs = 0;

  constructor(
    readonly path: string,
    private readonly text: Adapter<string>,
  ) {}

  async read(): Promise<StoreDocument | null> {
    const text = await this.text.read();
    if (text === null) return null;
    const document = parseDocument(text, this.path);
    this.#remember(text);
    return document;
  }

  async write(document: StoreDocument): Promise<void> {
    const started = performance.now();
    // Serialised before the first await, so later in-memory changes belong to the next write.
    const text = JSON.stringify(document);
    await this.text.write(text);
    this.#lastWriteMs = performance.now() - started;
    this.#remember(text);
  }

  /** The document as it is on disk now (parsed afresh, so nothing shares memory with the state). */
  lastWritten(): StoreDocument | undefined {
    const last = this.#lastText;
    if (last === undefined) return undefined;
    return parseDocument(
      typeof last === 'string' ? last : new TextDecoder().decode(last),
      this.path,
    );
  }

  /** A snapshot written to this path by someone else (the fold worker), now what is on disk. */
  adopt(bytes: Uint8Array): void {
    this.#lastText = bytes;
    this.#lastBytes = bytes.byteLength;
  }

  get bytes(): number {
    return this.#lastBytes;
  }

  get lastWriteMs(): number {
    return this.#lastWriteMs;
  }

  #remember(text: string): void {
    this.#lastText = text;
    this.#lastBytes = Buffer.byteLength(text);
  }
}
