/**
 * The lowdb driver's commit engine: the in-memory state and how it reaches the disk. Changes are
 * applied in memory at once and written by a group commit as one journal line; the journal is
 * folded into a fresh snapshot when it grows and after open, by a worker thread that builds it
 * from disk (snapshotFolds.ts), so the event loop never serialises the whole state while it
 * serves; a clean stop, which serves no one any more, writes its snapshot from memory. A failed
 * write rolls memory back to what is on disk. The queries (accountQueries.ts,
 * postQueries.ts, …) read `state()` and write through `change()` + `commit()`; they never touch a
 * file.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Adapter } from 'lowdb';
import { TextFile } from 'lowdb/node';
import { CorruptDataError, StorageUnavailableError, type StoreLifecycle } from '../store.js';
import { applyChange, type Change } from './changes.js';
import { emptyDocument, type StoreDocument } from './document.js';
import { DocumentFile } from './documentFile.js';
import { copyFileDurably, DurableTextFile, type Durability } from './durableFile.js';
import { createGroupCommit } from './groupCommit.js';
import {
  JOURNAL_FILE_NAME,
  JournalFile,
  journalLine,
  listSealedSegments,
  readJournalEntries,
  type JournalEntry,
} from './journal.js';
import { createSnapshotFolds, type FoldStats, type SnapshotFolds } from './snapshotFolds.js';
import {
  applyRetention,
  buildState,
  toDocument,
  type RetentionPolicy,
  type StoreState,
} from './state.js';

export const DATA_FILE_NAME = 'tidings.json';
/** The last file that opened cleanly; docs/STORAGE.md says how to restore from it. */
export const BACKUP_FILE_NAME = 'tidings.json.bak';

export const DEFAULT_RETENTION: RetentionPolicy = { maxEventAgeDays: 90, maxEvents: 100_000 };

export interface LowdbStoreOptions {
  dataDir: string;
  /**
   * How long the first change waits for others to share its write, in ms (default 0: the write
   * starts once the current turn of the event loop is done, with every change made in it). An
   * append to the journal is cheap, so waiting longer would only add latency (a 1 ms window cost
   * a post about a millisecond); under load, changes made while a write is in flight share the
   * next one anyway.
   */
  commitWindowMs?: number;
  retention?: { maxEventAgeDays?: number; maxEvents?: number };
  /** The clock for timestamps and retention; tests pass their own. */
  clock?: () => Date;
  /**
   * Test seam: wraps the file every commit is written to (the journal; its `write` appends), e.g.
   * to count writes or to make one fail.
   */
  wrapFile?: (file: Adapter<string>) => Adapter<string>;
  /**
   * The journal is folded into a new snapshot once it holds this many bytes or as many as the
   * snapshot, whichever is more (default 16 MB), so it costs at most one more snapshot's worth of
   * writing and replay. 0 folds it at every commit: the snapshot alone is then always current
   * (the whole-file rewrite per commit of old; tests that read the snapshot itself use it).
   */
  compactAtBytes?: number;
  /**
   * `power` (default): a commit is acknowledged once `fdatasync` put it on stable storage, and
   * every rename is followed by an `fsync` of the directory (durableFile.ts). `kill9`: once the
   * kernel has it; survives the process, not the machine, and skips the syncs' cost.
   */
  durability?: Durability;
  /**
   * Folds of less data than this (snapshot plus journal; default 256 KB) run on the event loop,
   * where they cost a few ms; bigger ones in a worker thread (snapshotFolds.ts). 0: always in the
   * worker (the tests of the worker use it).
   */
  foldInWorkerFromBytes?: number;
  /**
   * Problems the store survives but an operator should hear of: a journal fold that failed (the
   * store goes on from the journal, and the next fold retries). The server logs them.
   */
  onProblem?: (message: string) => void;
}

const DEFAULT_COMPACT_AT_BYTES = 16 * 1024 * 1024;

export interface CommitEngine {
  /** open, close, stats and settled: the driver's StoreLifecycle. */
  lifecycle: StoreLifecycle;
  /** The state in memory. Replaced at open and after a failed write: read it anew on each call. */
  state(): StoreState;
  /** Now, from the store's clock, as stored in records. */
  now(): string;
  /** Every mutating method calls this first, then change(), then awaits commit(). */
  ensureOpen(): void;
  /** Applies changes in memory now; the next group commit writes them. */
  change(...changes: Change[]): void;
  /** Resolves once every change made so far is on disk; rejects with StorageUnavailableError. */
  commit(): Promise<void>;
  /** Resolves once no journal fold is running (tests and the bench wait on it). */
  foldsIdle(): Promise<void>;
  /** Journal folds since open: done, failed, and how long the last one took. */
  foldStats(): FoldStats;
}

export function createCommitEngine(options: LowdbStoreOptions): CommitEngine {
  const path = join(options.dataDir, DATA_FILE_NAME);
  const clock = options.clock ?? (() => new Date());
  const retention: RetentionPolicy = { ...DEFAULT_RETENTION, ...options.retention };
  const journalPath = join(options.dataDir, JOURNAL_FILE_NAME);
  const durability = options.durability ?? 'power';
  const textFile = (at: string): Adapter<string> =>
    durability === 'power' ? new DurableTextFile(at) : new TextFile(at);
  const file = new DocumentFile(path, textFile(path));
  const realJournal = new JournalFile(journalPath, durability);
  const journal = options.wrapFile?.(realJournal) ?? realJournal;
  const compactAtBytes = options.compactAtBytes ?? DEFAULT_COMPACT_AT_BYTES;
  let state: StoreState = buildState(emptyDocument());
  let phase: 'new' | 'open' | 'closed' = 'new';
  /** Changes applied in memory and not yet handed to a write. */
  let pending: Change[] = [];
  /**
   * The commits on disk after the snapshot (sealed segments and journal), kept to rebuild memory
   * after a failed write; a finished fold drops those it folded.
   */
  let journaled: JournalEntry[] = [];
  /** The newest commit number given out; the snapshot and every journal line carry theirs. */
  let commitNo = 0;
  /** The newest commit appended to the journal (what a seal now would end with). */
  let lastAppended = 0;
  /** Set by close(): the next group commit ends by writing the snapshot from memory. */
  let closingSnapshotNext = false;
  let lastWriteMs = 0;
  const report = options.onProblem ?? (() => undefined);
  let folds: SnapshotFolds | undefined;

  /** Seals the journal and folds it in the worker; `wait` for the fold itself, not only its start. */
  const fold = async (wait: boolean): Promise<void> => {
    if (!folds) return;
    await folds.idle();
    await folds.start(lastAppended);
    if (wait) await folds.idle();
  };

  /**
   * The clean stop's snapshot, written from memory on the event loop. By then nothing is served,
   * so the stall the fold worker exists to avoid (about 0.3 s per 10 MB) holds up no one, while
   * the worker's way (seal the journal, start a thread, read and parse the snapshot from disk)
   * took about 2 s of a 10,000-user server's stop, every second of which a restart's clients
   * wait (docs/BENCHMARKS.md, "The stop's snapshot from memory"). The same steps and the same
   * crash safety as a fold: the snapshot by temp file and rename, saying which commit it holds,
   * and only then the journal and the sealed segments removed. Never throws: if the snapshot
   * cannot be written, the journal still holds every change and the next open folds it.
   */
  const writeClosingSnapshot = async (): Promise<void> => {
    try {
      await file.write({ ...toDocument(state), commit: lastAppended });
    } catch (error) {
      report(
        `could not write ${path} at close: ${describeError(error)}; ` +
          'the journal holds every change and the next start folds it',
      );
      return;
    }
    journaled = [];
    await realJournal.clear().catch(() => undefined);
    await folds?.dropSealed();
  };

  const commits = createGroupCommit({
    windowMs: options.commitWindowMs ?? 0,
    write: async () => {
      const started = performance.now();
      applyRetention(state, retention, clock());
      commitNo += 1;
      const changes = pending;
      pending = [];
      if (changes.length > 0) {
        await journal.write(journalLine({ commit: commitNo, changes }));
        journaled.push({ commit: commitNo, changes });
        lastAppended = commitNo;
      }
      lastWriteMs = performance.now() - started;
      // Folding starts here, between two appends. Waited for only where the caller asked for a
      // current snapshot (compactAtBytes 0); otherwise the worker runs while appends go on in a
      // fresh journal. Neither fails this commit: it is on disk already.
      if (closingSnapshotNext) {
        closingSnapshotNext = false;
        await writeClosingSnapshot();
      } else if (compactAtBytes === 0) await fold(true);
      else if (realJournal.bytes >= Math.max(compactAtBytes, file.bytes) && !folds?.running()) {
        await fold(false);
      }
    },
    recover: (cause) => {
      // What is on disk is the truth: drop every change that did not make it there. The snapshot
      // text and the journaled changes were written (or read and checked) by this process, so
      // rebuilding from them cannot fail.
      pending = [];
      state = buildState(file.lastWritten() ?? emptyDocument());
      for (const entry of journaled) for (const change of entry.changes) applyChange(state, change);
      applyRetention(state, retention, clock());
      return new StorageUnavailableError(`could not write ${journalPath}: ${describeError(cause)}`);
    },
  });

  /** Applies changes in memory now; the next group commit writes them. */
  const change = (...changes: Change[]): void => {
    for (const one of changes) {
      applyChange(state, one);
      pending.push(one);
    }
  };

  const now = (): string => clock().toISOString();

  const ensureOpen = (): void => {
    if (phase !== 'open') throw new Error(`the store is ${phase}, not open`);
  };

  const lifecycle: StoreLifecycle = {
    async open() {
      if (phase !== 'new') throw new Error('the store was already opened');
      try {
        await mkdir(options.dataDir, { recursive: true });
      } catch (error) {
        throw new StorageUnavailableError(
          `cannot use data directory ${options.dataDir}: ${describeError(error)}`,
        );
      }
      let existing: StoreDocument | null;
      let sealed: string[];
      let journalText: string | null;
      try {
        existing = await file.read();
        sealed = await listSealedSegments(options.dataDir);
        journalText = await realJournal.read();
      } catch (error) {
        if (error instanceof CorruptDataError) throw error;
        throw new StorageUnavailableError(`cannot read ${path}: ${describeError(error)}`);
      }
      state = buildState(existing ?? emptyDocument());
      const snapshotCommit = existing?.commit ?? 0;
      // Everything is checked before anything is written: a bad journal leaves the files as
      // they were.
      const files = journalText === null ? sealed : [...sealed, journalPath];
      let replayed: { entries: JournalEntry[]; lastCommit: number; fileOf: string[] };
      try {
        replayed = await readJournalEntries(files, snapshotCommit);
      } catch (error) {
        if (error instanceof CorruptDataError) throw error;
        throw new StorageUnavailableError(`cannot read ${journalPath}: ${describeError(error)}`);
      }
      for (const [index, entry] of replayed.entries.entries()) {
        for (const one of entry.changes) {
          if (one[0] === 'event' && one[1].seq <= state.latestSeq) {
            throw new CorruptDataError(
              replayed.fileOf[index] ?? journalPath,
              `commit ${entry.commit}: seq ${one[1].seq} is not new`,
            );
          }
          applyChange(state, one);
        }
      }
      journaled = replayed.entries;
      commitNo = lastAppended = replayed.lastCommit;
      applyRetention(state, retention, clock());
      folds = createSnapshotFolds({
        file,
        journal: realJournal,
        durability,
        retention,
        now: clock,
        inWorkerFromBytes: options.foldInWorkerFromBytes ?? 256 * 1024,
        sealed,
        sealedUpTo: lastAppended,
        onFolded: (commit) => {
          journaled = journaled.filter((entry) => entry.commit > commit);
        },
        onProblem: report,
      });
      const backupPath = join(options.dataDir, BACKUP_FILE_NAME);
      try {
        // Every write goes through a temp file + rename, so they also prove the directory is
        // writable now rather than at the first post. A snapshot that opened with no journal is
        // the version known to open, so the backup; one with a journal is folded in the worker,
        // which writes the backup once that succeeded.
        if (existing === null) await file.write({ ...emptyDocument(), commit: 0 });
        if (files.length > 0) await folds.start(lastAppended, { backupPath, sealOrThrow: true });
        else if (existing !== null) await copyFileDurably(path, backupPath, durability);
      } catch (error) {
        throw new StorageUnavailableError(
          `cannot write to data directory ${options.dataDir}: ${describeError(error)}`,
        );
      }
      phase = 'open';
    },

    async close() {
      if (phase !== 'open') return;
      await commits.drain();
      await folds?.idle();
      if (realJournal.bytes > 0 || folds?.hasSealed()) {
        // A clean stop leaves one tidy snapshot. Through the group commit, so no append can
        // interleave; if it fails, the journal still holds everything and the next open folds it.
        closingSnapshotNext = true;
        await commits.commit().catch(() => undefined);
      }
      await realJournal.close().catch(() => undefined);
      file.release();
      phase = 'closed';
    },

    settled() {
      // Every mutating method asks for its commit in the same turn as it changes memory, so the
      // group commit knows every change not yet on disk.
      return commits.settled();
    },

    stats() {
      return {
        bytes: file.bytes + realJournal.bytes + (folds?.sealedBytes() ?? 0),
        users: state.users.size,
        posts: state.posts.size,
        // A getter: counting reads every post's likers into its set (likerSets.ts), which the
        // metrics, reading the other figures on every scrape, must not pay for. The first scrape
        // after open did, and the likes bench's first likes queued behind it.
        get likes() {
          return [...state.likes.values()].reduce((sum, likers) => sum + likers.size, 0);
        },
        events: state.events.length,
        lastWriteMs,
        foldsFailed: folds?.stats().failed ?? 0,
        lastFoldMs: folds?.stats().lastMs ?? 0,
      };
    },
  };

  return {
    lifecycle,
    state: () => state,
    now,
    ensureOpen,
    change,
    commit: () => commits.commit(),
    foldsIdle: () => folds?.idle() ?? Promise.resolve(),
    foldStats: () => folds?.stats() ?? { completed: 0, failed: 0, lastMs: 0 },
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
