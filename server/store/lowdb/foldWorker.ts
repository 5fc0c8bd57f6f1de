/**
 * The fold worker's entry (a worker_threads thread): folds the journal into a new snapshot from
 * disk (snapshotFold.ts) and posts back the result, its bytes transferred rather than copied, or
 * why it failed. One worker per fold; it ends with it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { faultFromEnvironment, foldSnapshot, type FoldRequest } from './snapshotFold.js';

export type FoldReply =
  { ok: true; commit: number; bytes: Uint8Array; ms: number } | { ok: false; message: string };

/** Top-level await is avoided so the module also runs bundled as a script (foldRunner.ts). */
async function run(): Promise<void> {
  const started = performance.now();
  const port = parentPort;
  if (port === null) throw new Error('foldWorker.ts runs as a worker thread only');
  try {
    const result = await foldSnapshot(
      workerData as FoldRequest,
      faultFromEnvironment(process.env.TIDINGS_TEST_FOLD_FAULT),
    );
    const reply: FoldReply = { ok: true, ...result, ms: performance.now() - started };
    // TextEncoder gave the bytes an ArrayBuffer of their own, so moving it costs nothing.
    port.postMessage(reply, [result.bytes.buffer as ArrayBuffer]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error instanceof Error ? error.message : String(error);
    const reply: FoldReply = {
      ok: false,
      message: code && !message.includes(code) ? `${code}: ${message}` : message,
    };
    port.postMessage(reply);
  }
}

void run();
