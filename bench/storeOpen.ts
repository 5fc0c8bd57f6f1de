/**
 * Opening the embedded store on a data directory, alone in a fresh `node` process running the
 * built store (dist/), with no server around it: how long `open()` takes (read, check, build the
 * indexes, keep the backup) and the process's memory once it is open and garbage-collected.
 * The likes scenario reports it at its data; bench/storeOpenProbe.ts runs it by itself.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface StoreOpenResult {
  openMs: number;
  /** The process's resident memory (VmRSS) and V8 heap in use, after a full GC, in bytes. */
  residentBytes: number;
  heapBytes: number;
  events: number;
  likes: number;
}

const OPEN_ONCE = `
const { createLowdbStore } = await import(process.argv[1]);
const store = createLowdbStore({ dataDir: process.argv[2] });
const started = performance.now();
await store.open();
const openMs = performance.now() - started;
globalThis.gc();
const { rss, heapUsed } = process.memoryUsage();
const { events, likes } = store.stats();
await store.close();
console.log(JSON.stringify({ openMs, residentBytes: rss, heapBytes: heapUsed, events, likes }));
`;

export async function measureStoreOpen(dataDir: string): Promise<StoreOpenResult> {
  const storeModule = new URL('../dist/server/store/lowdb/index.js', import.meta.url).href;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--input-type=module', '-e', OPEN_ONCE, storeModule, dataDir],
    { encoding: 'utf8' },
  );
  return JSON.parse(stdout) as StoreOpenResult;
}

export function describeStoreOpen(result: StoreOpenResult): string {
  return (
    `open ${result.openMs.toFixed(0)} ms; then ${(result.residentBytes / 1e6).toFixed(0)} MB resident, ` +
    `${(result.heapBytes / 1e6).toFixed(0)} MB heap (${result.events} events, ${result.likes} likes)`
  );
}
