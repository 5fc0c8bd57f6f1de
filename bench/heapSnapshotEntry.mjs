// The server's own entry (dist/server/cli.js), wrapped for bench/connectionHeap.ts: on SIGUSR2 it
// writes a heap snapshot (V8 collects garbage fully first) to the next numbered file under
// TIDINGS_HEAP_SNAPSHOT_PREFIX and prints its memory after a full GC, so the snapshot's objects
// can be set beside resident memory.
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');
const prefix = process.env.TIDINGS_HEAP_SNAPSHOT_PREFIX;
let taken = 0;
process.on('SIGUSR2', () => {
  collectGarbage();
  collectGarbage();
  const { rss, heapUsed, external } = process.memoryUsage();
  const file = prefix ? writeHeapSnapshot(`${prefix}-${taken++}.heapsnapshot`) : '';
  process.stderr.write(
    `memory after gc: rss ${rss} heapUsed ${heapUsed} external ${external} snapshot ${file}\n`,
  );
});
await import(new URL('../dist/server/cli.js', import.meta.url).href);
