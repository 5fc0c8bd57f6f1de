/**
 * Runs one snapshot fold in a worker thread (foldWorker.ts) and resolves with its result, or
 * rejects with why it failed: an error the fold reported (a full disk, a bad segment) or the
 * worker ending without an answer (a crash). Nothing here touches the store's state.
 */
import { Worker } from 'node:worker_threads';
import type { FoldReply } from './foldWorker.js';
import type { FoldRequest, FoldResult } from './snapshotFold.js';

/**
 * The built server runs foldWorker.js. Tests and the bench run the TypeScript through tsx, whose
 * `--import` hook does not reach worker threads on Node 20: there the worker registers tsx
 * itself before it loads the module.
 */
function startWorker(request: FoldRequest): Worker {
  // None of the process's own flags: `-e` or `--input-type` (a process started from a script
  // string) would stop the worker from loading its file; it needs none.
  const options = { workerData: request, execArgv: [] };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./foldWorker.js', import.meta.url), options);
  }
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./foldWorker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

export interface FoldOutcome extends FoldResult {
  /** How long the worker took, from its start to its answer. */
  ms: number;
}

export function runFold(request: FoldRequest): Promise<FoldOutcome> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(request);
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
