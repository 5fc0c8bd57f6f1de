/**
 * When and how the store folds its journal into a new snapshot, with the work itself in a worker
 * thread (foldRunner.ts). A fold begins between two appends: the journal is sealed (renamed to a
 * segment) and appends go on in a fresh one while the worker builds the snapshot from disk. One
 * fold runs at a time. A fold that fails leaves its segments where they are, valid, and the next
 * fold takes them too; the store keeps serving and says so through `onProblem` and the counts.
 */
import { dirname } from 'node:path';
import type { DocumentFile } from './documentFile.js';
import type { Durability } from './durableFile.js';
import { statSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { runFold, type FoldOutcome } from './foldRunner.js';
import { sealedSegmentPath, type JournalFile } from './journal.js';
import { foldSnapshot, type FoldRequest } from './snapshotFold.js';
import type { RetentionPolicy } from './state.js';

export interface FoldStats {
  completed: number;
  failed: number;
  /** The last successful fold, start of the worker to its answer, in ms. */
  lastMs: number;
}

export interface SnapshotFoldsOptions {
  file: DocumentFile;
  journal: JournalFile;
  durability: Durability;
  retention: RetentionPolicy;
  now: () => Date;
  /**
   * Data (snapshot plus segments) smaller than this is folded on the event loop, by the same
   * function: a worker costs tens of ms of CPU to start, while folding 256 KB costs a few ms.
   */
  inWorkerFromBytes: number;
  /** Segments left by an earlier run, oldest first (they are folded with the next one). */
  sealed: string[];
  /** The last commit in the sealed segments, or the snapshot's when there are none. */
  sealedUpTo: number;
  /** The new snapshot holds every commit up to `commit`: drop what is kept to roll back to. */
  onFolded(commit: number): void;
  onProblem(message: string): void;
}

export interface SnapshotFolds {
  /**
   * Seals the journal (commits up to `lastCommit`) and starts a fold of every sealed segment,
   * unless one is running. Call only between appends. Never rejects: a fold that cannot start
   * or finish is reported and retried with the next one; except, with `sealOrThrow` (at open,
   * where the seal also proves the directory writable), a seal that fails.
   */
  start(
    lastCommit: number,
    options?: { backupPath?: string; sealOrThrow?: boolean },
  ): Promise<void>;
  /** Resolves once no fold is running. */
  idle(): Promise<void>;
  running(): boolean;
  /** Bytes of the sealed segments not folded yet (those an earlier run left included). */
  sealedBytes(): number;
  /** Whether any sealed segment waits for a fold (one an earlier run left included). */
  hasSealed(): boolean;
  /**
   * Removes every sealed segment, once a snapshot written some other way holds all their commits
   * (the close's, from memory). Call only while no fold runs. One that cannot be removed stays,
   * and the next open skips its lines.
   */
  dropSealed(): Promise<void>;
  stats(): FoldStats;
}

export function createSnapshotFolds(options: SnapshotFoldsOptions): SnapshotFolds {
  let sealed = [...options.sealed];
  let sealedUpTo = options.sealedUpTo;
  // Each segment's size, dropped with the segment once a fold took it in.
  const sizes = new Map(options.sealed.map((path) => [path, sizeOrZero(path)]));
  let inFlight: Promise<void> | undefined;
  const stats: FoldStats = { completed: 0, failed: 0, lastMs: 0 };

  const fail = (what: string, error: unknown): void => {
    stats.failed += 1;
    const reason = error instanceof Error ? error.message : String(error);
    options.onProblem(
      `could not fold the journal into ${options.file.path} (${what}): ${reason}; ` +
        'the store keeps serving, the journal holds every change, the next fold retries',
    );
  };

  const fold = async (segments: string[], upTo: number, backupPath?: string): Promise<void> => {
    const request: FoldRequest = {
      snapshotPath: options.file.path,
      segmentPaths: segments,
      expectCommit: upTo,
      retention: options.retention,
      now: options.now().toISOString(),
      durability: options.durability,
      ...(backupPath === undefined ? {} : { backupPath }),
    };
    let outcome: FoldOutcome;
    let where = 'the worker';
    try {
      const bytes = options.file.bytes + (await sizeOf(segments));
      if (bytes < options.inWorkerFromBytes) {
        where = 'on the event loop';
        const started = performance.now();
        outcome = { ...(await foldSnapshot(request)), ms: performance.now() - started };
      } else {
        outcome = await runFold(request);
      }
    } catch (error) {
      fail(where, error);
      return;
    }
    options.file.adopt(outcome.bytes);
    sealed = sealed.filter((segment) => !segments.includes(segment));
    for (const segment of segments) sizes.delete(segment);
    stats.completed += 1;
    stats.lastMs = outcome.ms;
    options.onFolded(outcome.commit);
  };

  return {
    async start(lastCommit, more = {}) {
      if (inFlight !== undefined) return;
      const bytes = options.journal.bytes;
      try {
        const to = sealedSegmentPath(dirname(options.journal.path), lastCommit);
        if (await options.journal.seal(to)) {
          sealed.push(to);
          sealedUpTo = lastCommit;
          sizes.set(to, bytes);
        }
      } catch (error) {
        if (more.sealOrThrow) throw error;
        fail('sealing the journal', error);
        return;
      }
      if (sealed.length === 0) return;
      inFlight = fold([...sealed], sealedUpTo, more.backupPath).finally(() => {
        inFlight = undefined;
      });
    },
    idle: () => inFlight ?? Promise.resolve(),
    running: () => inFlight !== undefined,
    sealedBytes: () => [...sizes.values()].reduce((sum, bytes) => sum + bytes, 0),
    hasSealed: () => sealed.length > 0,
    async dropSealed() {
      for (const segment of sealed) await rm(segment, { force: true }).catch(() => undefined);
      sealed = [];
      sizes.clear();
    },
    stats: () => ({ ...stats }),
  };
}

/** A segment an earlier run left, sized once at open (0 if it vanished: the fold will say so). */
function sizeOrZero(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function sizeOf(paths: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const path of paths) bytes += (await stat(path)).size;
  return bytes;
}
