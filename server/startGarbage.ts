/**
 * One full garbage collection just before the server listens. Opening a lowdb store parses its
 * whole snapshot and journal, and about 34 MB of what that allocates (large strings and arrays in
 * the large-object space) is garbage that V8 keeps until its first full collection. Left alone,
 * that collection came during the first seconds of traffic: in the likes scenario the slowest
 * 1 % of likes were all sent in the first 0.5 s (docs/BENCHMARKS.md, issue 14's seventh session).
 * Collected here, it costs the start tens of ms while no client waits on this process yet, and the
 * heap's growth limit (heapGrowth.ts) is then measured from the live data, not from the garbage.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = () => void;

/** V8's `gc()`, from node's own flag if the operator gave it, else exposed for this one use. */
function garbageCollector(): Collect {
  const exposed = (globalThis as { gc?: Collect }).gc;
  if (exposed) return exposed;
  // The flag only adds `gc` to contexts created after it is set; a new context takes it and the
  // flag is cleared again, so the server's own global never gains a `gc`.
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as Collect;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/** Runs one full, blocking collection and says how long it took, in ms. */
export function collectStartGarbage(): number {
  const collect = garbageCollector();
  const started = performance.now();
  collect();
  return performance.now() - started;
}
