/**
 * One snapshot fold, as the fold worker (foldWorker.ts) runs it: read the snapshot and the sealed
 * journal segments FROM DISK, apply the segments' changes and retention to the document
 * (documentFold.ts), write the result as the new snapshot by temp file and rename (synced as the
 * durability mode asks), then remove the segments it folded. The store's event loop never
 * serialises its state for it; it only renames the journal when a fold begins
 * (JournalFile.seal) and takes the result when it ends.
 *
 * Crash safety, step by step (docs/STORAGE.md, "Folding the journal"): until the rename, the old
 * snapshot and every segment are untouched; after it, the new snapshot records the last commit
 * it holds, so segments that are still there replay nothing twice.
 */
import { writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { Durability } from './durableFile.js';
import { replaceFile } from './durableFile.js';
import { finishFold, foldChange, retainFold, startFold } from './documentFold.js';
import { readJournalEntries } from './journal.js';
import { parseDocument } from './parseDocument.js';
import type { RetentionPolicy } from './state.js';

export interface FoldRequest {
  snapshotPath: string;
  /** Sealed segments, oldest first; the active journal is never among them. */
  segmentPaths: string[];
  /** The last commit the segments hold, as the store knows it; anything else fails the fold. */
  expectCommit: number;
  retention: RetentionPolicy;
  /** The store's clock when the fold began (ISO 8601), for retention. */
  now: string;
  durability: Durability;
  /** Also write the new snapshot here (the backup after an open that had a journal). */
  backupPath?: string;
}

export interface FoldResult {
  /** The last commit the new snapshot holds. */
  commit: number;
  /** The new snapshot's bytes: the store keeps them to roll back to after a failed write. */
  bytes: Uint8Array;
}

/** Where a fold can be stopped by TIDINGS_TEST_FOLD_FAULT (the crash tests' seam). */
export const FOLD_STAGES = ['folded', 'written', 'renamed'] as const;
export type FoldStage = (typeof FOLD_STAGES)[number];

export async function foldSnapshot(
  request: FoldRequest,
  atStage: (stage: FoldStage) => void = () => undefined,
): Promise<FoldResult> {
  const text = await readFile(request.snapshotPath, 'utf8');
  const fold = startFold(parseDocument(text, request.snapshotPath));
  const { entries, lastCommit } = await readJournalEntries(request.segmentPaths, fold.commit);
  if (lastCommit !== request.expectCommit) {
    throw new Error(
      `the sealed journal ends at commit ${lastCommit}, the store wrote up to ${request.expectCommit}`,
    );
  }
  for (const entry of entries) for (const change of entry.changes) foldChange(fold, change);
  fold.commit = lastCommit;
  retainFold(fold, request.retention, new Date(request.now));
  const bytes = new TextEncoder().encode(JSON.stringify(finishFold(fold)));
  atStage('folded');
  await replaceFile(request.snapshotPath, bytes, request.durability, () => atStage('written'));
  atStage('renamed');
  if (request.backupPath !== undefined) {
    await replaceFile(request.backupPath, bytes, request.durability);
  }
  // The snapshot holds every commit in them; one that cannot be removed is skipped at open.
  for (const segment of request.segmentPaths) await rm(segment, { force: true });
  return { commit: lastCommit, bytes };
}

/**
 * The test seam, read from the environment in the worker: `hold:<stage>:<marker file>` writes the
 * marker and blocks the fold at that stage for ever (the test then kills the process);
 * `exit:<stage>` ends the worker thread there, as a crash of the worker would.
 */
export function faultFromEnvironment(value: string | undefined): (stage: FoldStage) => void {
  if (value === undefined || value === '') return () => undefined;
  const [kind, stage, marker] = value.split(':');
  return (reached) => {
    if (reached !== stage) return;
    if (kind === 'exit') process.exit(70);
    if (kind === 'hold' && marker !== undefined) {
      writeFileSync(marker, reached);
      // Blocks this worker thread only; the store's event loop goes on committing.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
  };
}
