/**
 * The journal: `tidings.journal`, one line per group commit, appended. A commit costs what it
 * changed (a like is about a hundred bytes), not the size of the data, which is what keeps a like
 * fast over 100,000 of them. The snapshot (`tidings.json`) is rewritten only at open, at close
 * and when the journal has grown as big as the snapshot (index.ts), never per change.
 *
 * As a lowdb Adapter<string>, `write(text)` APPENDS (the group commit's one write) and `read()`
 * returns the whole journal.
 *
 * The file stays open between appends: one `write` per group commit is one round trip through
 * libuv's thread pool, where opening, writing, syncing and closing each time were four (the
 * fixed cost of a post, issue 14). A data directory that disappears must still fail the next
 * commit instead of writing into a lost file, so before each append the path is looked up again
 * (a `stat` answered from the kernel's cache, on this thread: microseconds, no round trip) and
 * must still name the open file (same device and inode); if not, the file is closed and the path
 * opened afresh, which fails when the directory is gone, as the open of every append did before.
 * seal() and clear() close the file before they rename or remove it. After a second without an
 * append the file is closed too, and opened again by the next one: an idle server then holds no
 * file open for writing on its data disk, which the kernel requires before that disk can be
 * remounted read-only (`mount -o remount,ro` answers "busy" otherwise), and a commit that comes
 * a second or more after the last one pays the open it paid before anyway.
 *
 * A failed append may have left part of its line behind; the next append first cuts the file
 * back to the last complete line, so a torn line can only ever be the last one, and opening
 * ignores a last line without its newline (that commit was never acknowledged).
 *
 * With durability `power` each append is on stable storage before it is acknowledged, and the
 * first append to a new journal also `fsync`s the directory, so the file itself survives a power
 * cut. The file is opened with `O_DSYNC` (PostgreSQL's `open_datasync`): each `write` returns only
 * once its data and the size needed to read it back are on disk, what `fdatasync` after it gave,
 * in the same round trip. Where the platform has no `O_DSYNC`, the append is `fdatasync`ed.
 */
import { constants, statSync } from 'node:fs';
import {
  access,
  open,
  readdir,
  readFile,
  rename,
  rm,
  truncate,
  type FileHandle,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { describeIssues } from '../../../contract/wire.js';
import { CorruptDataError } from '../store.js';
import { z } from 'zod';
import { ChangeSchema, type Change } from './changes.js';
import { syncDirectory, type Durability } from './durableFile.js';

export const JOURNAL_FILE_NAME = 'tidings.journal';

/**
 * A sealed segment: the journal as it was when a fold began, renamed to
 * `tidings.journal.<N>` (N: the newest commit given out then, so names grow with time). Appends
 * go on in a fresh `tidings.journal`; the fold worker folds the sealed segments into the next
 * snapshot and removes them. Opening replays the sealed segments in order, then the journal.
 */
const SEALED_NAME = /^tidings\.journal\.(\d+)$/;

export function sealedSegmentPath(dataDir: string, commit: number): string {
  return join(dataDir, `${JOURNAL_FILE_NAME}.${commit}`);
}

/** The sealed segments in a data directory, oldest first. */
export async function listSealedSegments(dataDir: string): Promise<string[]> {
  const numbered = (await readdir(dataDir)).flatMap((name) => {
    const match = SEALED_NAME.exec(name);
    return match ? [{ name, commit: Number(match[1]) }] : [];
  });
  return numbered.sort((a, b) => a.commit - b.commit).map(({ name }) => join(dataDir, name));
}

export interface JournalEntry {
  /** Increases by one per group commit, across snapshots (the snapshot records the last one). */
  commit: number;
  changes: Change[];
}

const EntrySchema = z.strictObject({
  commit: z.number().int().min(1),
  changes: z.array(ChangeSchema),
});

export function journalLine(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

/** What open(path, 'a') is, as numbers so O_DSYNC can be added (the mode stays the umask's). */
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT;
/** Undefined where the platform lacks it (then each append is `fdatasync`ed instead). */
const O_DSYNC: number | undefined = constants.O_DSYNC;

/** How long the journal stays open without an append (see the header). */
export const JOURNAL_IDLE_CLOSE_MS = 1_000;

/** The open journal and which file it is, to tell whether its path still leads to it. */
interface OpenJournal {
  handle: FileHandle;
  dev: number;
  ino: number;
  /** Opened with O_DSYNC: a finished write is already on stable storage. */
  dsync: boolean;
}

export class JournalFile implements Adapter<string> {
  #goodBytes = 0;
  #torn = false;
  #syncs = 0;
  #open: OpenJournal | undefined;
  #appending = false;
  /** Closes the journal once appends stop; refreshed by each append, never keeps the process. */
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    private readonly durability: Durability = 'power',
  ) {}

  async read(): Promise<string | null> {
    try {
      const text = await readFile(this.path, 'utf8');
      this.#goodBytes = Buffer.byteLength(text);
      return text;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(text: string): Promise<void> {
    if (this.#torn) await this.#cutTornLine();
    const isNew = this.#goodBytes === 0;
    this.#appending = true;
    try {
      const journal = await this.#openJournal();
      // writeFile, not write: write() may store only part of the line on a nearly full disk
      // and still succeed (a short write); writeFile goes on until all of it is written, or
      // fails, and a failure is a torn line cut away before the next append.
      await journal.handle.writeFile(text);
      if (this.durability === 'power') {
        if (!journal.dsync) await journal.handle.datasync();
        if (isNew) await syncDirectory(dirname(this.path));
        this.#syncs += 1;
      }
    } catch (error) {
      this.#torn = true;
      // Reopened by path at the next append, after the torn line is cut away.
      await this.close().catch(() => undefined);
      throw error;
    } finally {
      this.#appending = false;
    }
    this.#goodBytes += Buffer.byteLength(text);
    this.#closeWhenIdle();
  }

  #closeWhenIdle(): void {
    if (this.#idleTimer !== undefined) {
      this.#idleTimer.refresh();
      return;
    }
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      // An append still in flight (a slow disk) keeps the file; its end arms the timer again.
      if (this.#appending) return;
      this.close().catch(() => undefined);
    }, JOURNAL_IDLE_CLOSE_MS);
    this.#idleTimer.unref();
  }

  /**
   * The open journal if its path still leads to it, else the file the path names now, opened
   * (which throws if the data directory is gone: the commit fails, nothing is written).
   */
  async #openJournal(): Promise<OpenJournal> {
    const current = this.#open;
    if (current !== undefined) {
      // Sync on purpose: a lookup in the kernel's dentry and inode caches, a few microseconds,
      // where the promise version would add a thread-pool round trip to every commit.
      const now = statSync(this.path, { throwIfNoEntry: false });
      if (now !== undefined && now.ino === current.ino && now.dev === current.dev) {
        return current;
      }
      await this.close();
    }
    const dsync = this.durability === 'power' && O_DSYNC !== undefined;
    const handle = await open(this.path, APPEND_FLAGS | (dsync ? (O_DSYNC ?? 0) : 0));
    try {
      const { dev, ino } = await handle.stat();
      this.#open = { handle, dev, ino, dsync };
      return this.#open;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Closes the open journal, if any (the store's close; the next append opens it again). */
  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const current = this.#open;
    this.#open = undefined;
    await current?.handle.close();
  }

  async #cutTornLine(): Promise<void> {
    await this.close();
    await (this.#goodBytes === 0
      ? rm(this.path, { force: true })
      : truncate(this.path, this.#goodBytes));
    this.#torn = false;
  }

  /**
   * Appends made durable so far (durability `power`: an O_DSYNC write, or a write and its
   * `fdatasync`): one per group commit.
   */
  get syncs(): number {
    return this.#syncs;
  }

  /**
   * Renames the journal to `to` (a sealed segment) so the next append starts a fresh one, first
   * cutting a torn last line away. Only between appends (the group commit calls it from its one
   * write at a time). Resolves false when there was nothing to seal. Never replaces a file: a
   * sealed segment may still be waiting for its fold.
   */
  async seal(to: string): Promise<boolean> {
    if (this.#torn) await this.#cutTornLine();
    if (this.#goodBytes === 0) return false;
    const taken = await access(to).then(
      () => true,
      () => false,
    );
    if (taken) throw new Error(`cannot seal the journal: ${to} exists`);
    await this.close();
    await rename(this.path, to);
    if (this.durability === 'power') await syncDirectory(dirname(this.path));
    this.#goodBytes = 0;
    return true;
  }

  /** After a snapshot that holds everything in it. */
  async clear(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
    this.#goodBytes = 0;
    this.#torn = false;
  }

  get bytes(): number {
    return this.#goodBytes;
  }
}

/**
 * The entries of several journal files (sealed segments oldest first, then the journal) with a
 * commit above `afterCommit`. A line at or below a commit already seen is skipped, as a line the
 * snapshot holds is: a segment that outlived its fold (its removal failed) holds only those.
 * A missing file is an error: folding without it would lose its commits.
 */
export async function readJournalEntries(
  files: readonly string[],
  afterCommit: number,
): Promise<{ entries: JournalEntry[]; lastCommit: number; fileOf: string[] }> {
  const entries: JournalEntry[] = [];
  // The file each entry came from (same index), so a later check names the right one.
  const fileOf: string[] = [];
  let lastCommit = afterCommit;
  for (const file of files) {
    const found = parseJournal(await readFile(file, 'utf8'), file, lastCommit);
    for (const entry of found) {
      entries.push(entry);
      fileOf.push(file);
    }
    lastCommit = found.at(-1)?.commit ?? lastCommit;
  }
  return { entries, lastCommit, fileOf };
}

/**
 * The entries of a journal's text with a commit above `afterCommit`. A line that is not a valid
 * entry is refused with CorruptDataError (line number and problem), except an unterminated last
 * line, which is a write that never finished and is ignored.
 */
export function parseJournal(text: string, file: string, afterCommit: number): JournalEntry[] {
  const lines = text.split('\n');
  lines.pop(); // '' after the last newline, or a torn last line that was never acknowledged
  const entries: JournalEntry[] = [];
  let previous = 0;
  for (const [index, line] of lines.entries()) {
    const where = `line ${index + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new CorruptDataError(file, `${where} is not valid JSON (${detail}); was it edited?`);
    }
    const parsed = EntrySchema.safeParse(raw);
    if (!parsed.success) {
      throw new CorruptDataError(
        file,
        `${where} has an unexpected shape: ${describeIssues(parsed.error)}`,
      );
    }
    if (parsed.data.commit <= previous) {
      throw new CorruptDataError(file, `${where}: commit ${parsed.data.commit} is out of order`);
    }
    previous = parsed.data.commit;
    if (parsed.data.commit > afterCommit) entries.push(parsed.data as JournalEntry);
  }
  return entries;
}
