/**
 * Runs one snapshot fold in a worker thread (foldWorker.ts) and resolves with its result, or
 * rejects with why it failed: an error the fold reported (a full disk, a bad segment) or the
 * worker ending without an answer (a crash). Nothing here touches the store's state.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FoldReply } from './foldWorker.js';
import type { FoldRequest, FoldResult } from './snapshotFold.js';

/**
 * The built server runs foldWorker.js. Tests and the bench run the TypeScript through tsx, whose
 * `--import` hook does not reach worker threads on Node 20, and registering tsx in each worker
 * costs about a second per fold. So there the worker module is bundled once per process with
 * esbuild (a development dependency, as tsx is) and each worker runs that script.
 */
let bundledWorker: Promise<string> | undefined;

async function bundleWorker(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./foldWorker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no fold worker');
  return output.text;
}

/**
 * The worker's young generation, capped: left to itself V8 grows it to 48 MB while the fold
 * allocates the parsed document, and that is held resident beside the store's own for as long
 * as the fold runs. Smaller means more scavenges, in the worker, off the event loop
 * (docs/STORAGE.md, "Folding the journal in a worker thread", has the figures).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

async function startWorker(request: FoldRequest): Promise<Worker> {
  // None of the process's own flags: `-e` or `--input-type` (a process started from a script
  // string) would stop the worker from loading its file; it needs none.
  const options = { workerData: request, execArgv: [], resourceLimits: WORKER_LIMITS };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./foldWorker.js', import.meta.url), options);
  }
  bundledWorker ??= bundleWorker();
  return new Worker(await bundledWorker, { ...options, eval: true });
}

export interface FoldOutcome extends FoldResult {
  /** How long the worker took, from its start to its answer. */
  ms: number;
}

export async function runFold(request: FoldRequest): Promise<FoldOutcome> {
  const worker = await startWorker(request);
  return new Promise((resolve, reject) => {
    let answered = false;
    worker.once('message', (reply: FoldReply) => {
      answered = true;
      if (reply.ok) resolve({ commit: reply.commit, bytes: reply.bytes, ms: reply.ms });
      else reject(new Error(reply.message));
    });
    worker.once('error', (error) => {
      if (answered) return;
      answered = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (answered) return;
      answered = true;
      reject(new Error(`the fold worker stopped with exit code ${code} before it finished`));
    });
  });
}
