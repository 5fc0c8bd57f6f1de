/**
 * The lowdb adapter for the data file: compact JSON over lowdb's TextFile, whose steno writer
 * writes a temp file and renames it over the old one, so the file on disk is always either the
 * previous complete version or the new complete version (never half of one).
 *
 * It keeps the last snapshot it read or wrote, or the one a fold worker wrote (`adopt`), so that
 * a failed write can restore the in-memory state from exactly what is on disk. It keeps it as an
 * open file descriptor, not as its text (16 MB at the likes scenario's data): every write
 * replaces the file by a rename, so the descriptor goes on naming those very bytes even after
 * the directory was renamed, removed or replaced (the failures a rollback follows). Only when the
 * file cannot be opened does it keep the text or bytes themselves, as it did before.
 */
import { isAscii } from 'node:buffer';
import { closeSync, fstat, fstatSync, openSync, read, readSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Adapter } from 'lowdb';
import type { StoreDocument } from './document.js';
import { parseDocument } from './parseDocument.js';

export class DocumentFile implements Adapter<StoreDocument> {
  /** What is on disk now: a descriptor of the file, or (if it could not be opened) its content. */
  #last: { fd: number } | { content: string | Uint8Array } | undefined;
  #lastBytes = 0;
  #lastWriteMs = 0;

  constructor(
    readonly path: string,
    private readonly text: Adapter<string>,
  ) {}

  async read(): Promise<StoreDocument | null> {
    // Opened before the read, so the descriptor names the bytes read (nothing else writes the
    // file while the store opens); a file that is not there is read as lowdb reads it.
    const fd = openQuietly(this.path);
    if (fd === undefined) {
      const text = await this.text.read();
      if (text === null) return null;
      const document = parseDocument(text, this.path);
      this.#remember(text, Buffer.byteLength(text), fd);
      return document;
    }
    // Read from that very descriptor in one buffer and decoded once, as readFile(path, 'utf8')
    // would decode it (malformed bytes become U+FFFD, a BOM is kept): readFile decodes 512 KB
    // chunks into a rope that JSON.parse must flatten first, 0.1 s of an open at the likes data.
    // A file of ASCII only (what JSON.stringify writes unless a value has other characters) is
    // the same text in latin1, which is a copy rather than a decode.
    try {
      const bytes = await readWholeAsync(fd);
      const text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
      const document = parseDocument(text, this.path);
      this.#remember(bytes, bytes.byteLength, fd);
      return document;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  async write(document: StoreDocument): Promise<void> {
    const started = performance.now();
    // Serialised before the first await, so later in-memory changes belong to the next write.
    const text = JSON.stringify(document);
    await this.text.write(text);
    this.#lastWriteMs = performance.now() - started;
    this.#remember(text, Buffer.byteLength(text), openQuietly(this.path));
  }

  /** The document as it is on disk now (parsed afresh, so nothing shares memory with the state). */
  lastWritten(): StoreDocument | undefined {
    const last = this.#last;
    if (last === undefined) return undefined;
    const content = 'fd' in last ? readWhole(last.fd) : last.content;
    return parseDocument(
      typeof content === 'string' ? content : new TextDecoder().decode(content),
      this.path,
    );
  }

  /** A snapshot written to this path by someone else (the fold worker), now what is on disk. */
  adopt(bytes: Uint8Array): void {
    this.#remember(bytes, bytes.byteLength, openQuietly(this.path));
  }

  /** Lets go of the descriptor (at close); a rollback after that has nothing to roll back to. */
  release(): void {
    if (this.#last !== undefined && 'fd' in this.#last) closeSync(this.#last.fd);
    this.#last = undefined;
  }

  get bytes(): number {
    return this.#lastBytes;
  }

  get lastWriteMs(): number {
    return this.#lastWriteMs;
  }

  #remember(content: string | Uint8Array, bytes: number, fd: number | undefined): void {
    this.release();
    this.#last = fd === undefined ? { content } : { fd };
    this.#lastBytes = bytes;
  }
}

function openQuietly(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch {
    return undefined;
  }
}

const fstatAsync = promisify(fstat);
const readAsync = promisify(read);

/** The whole file behind `fd`, from its start, in one buffer (the open's read). */
async function readWholeAsync(fd: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe((await fstatAsync(fd)).size);
  let at = 0;
  while (at < bytes.byteLength) {
    const { bytesRead } = await readAsync(fd, bytes, at, bytes.byteLength - at, at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return bytes.subarray(0, at);
}

/** The whole file behind `fd`, from its start (a rollback is rare; it may block). */
function readWhole(fd: number): Uint8Array {
  const bytes = new Uint8Array(fstatSync(fd).size);
  let at = 0;
  while (at < bytes.byteLength) {
    const read = readSync(fd, bytes, at, bytes.byteLength - at, at);
    if (read === 0) break;
    at += read;
  }
  return bytes.subarray(0, at);
}
