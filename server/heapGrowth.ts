/**
 * How far V8 lets the server's heap grow before its next full garbage collection. Left to itself,
 * on a machine with several GB of memory, V8 lets the old generation reach up to four times what
 * was live after the last one. A server answering requests promotes a steady trickle of
 * short-lived objects (about 3 MB/s at 200 likes/s, mostly express's per-request objects, which
 * http/appPrototypes.ts now lets die young), so its resident size climbed by about 100 MB of
 * garbage in 30 s at the likes scenario's data and only a full collection, much later, would have
 * given it back. A smaller growth factor collects sooner and more often: each full
 * collection marks the live heap concurrently, off the event loop, and pauses it briefly
 * (docs/OPERATIONS.md, "Memory", has the figures and the trade-off).
 */
import { setFlagsFromString } from 'node:v8';

/**
 * The old generation may grow to 1.5 × what was live after the last full collection. At the
 * likes scenario's data, 30 % kept the server at 186–188 MB but its full collections put the
 * like p99 at 14.4–17.4 ms; 50 % gave 196–197 MB and 10.9–15.5 ms (interleaved quiet runs,
 * docs/BENCHMARKS.md, "Resident memory, fourth pass").
 */
export const HEAP_GROWING_PERCENT = 50;

const FLAG = '--heap-growing-percent';

/**
 * Sets V8's heap growing factor for this process, unless the operator chose one on node's own
 * command line (`node --heap-growing-percent=N dist/server/cli.js`; 0 there is V8's own default).
 * Returns where the factor in effect comes from. V8 reads it at every full collection, so setting
 * it while the process runs takes effect from the next one.
 */
export function limitHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
): 'operator' | 'tidings' {
  if (execArgv.some((arg) => arg === FLAG || arg.startsWith(`${FLAG}=`))) return 'operator';
  setFlagsFromString(`${FLAG}=${HEAP_GROWING_PERCENT}`);
  return 'tidings';
}
