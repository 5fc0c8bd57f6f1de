/**
 * What one connected socket costs the server (issue 14: ≤ 10 KB at 10,000): N subscribers
 * connect by WebSocket (the bench's client processes, each handed its `sync`), and the server's
 * live heap and resident memory after a full garbage collection are compared with before.
 * The fan-out scenario's RSS per connection is read whenever V8 last collected; this is the
 * steadier figure for before/after work on what each socket keeps.
 *
 *   node scripts/build.mjs && node --import tsx bench/connectionMemory.ts [N, default 10000]
 */
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '../test/fixtures/server.js';
import { askServer, readBeforeAndAfterSockets, runToExit } from './socketsBeforeAfter.js';

const n = Number(process.argv[2] ?? 10_000);
const GC_ENTRY = fileURLToPath(new URL('./gcServerEntry.mjs', import.meta.url));
const MEMORY_LINE = /memory after gc: rss (\d+) heapUsed (\d+) external (\d+)/g;

async function memoryAfterGc(server: RunningServer): Promise<number[]> {
  return (await askServer(server, MEMORY_LINE, 60_000)).slice(1).map(Number);
}

async function main(): Promise<void> {
  const { before, after } = await readBeforeAndAfterSockets({
    n,
    // The wrapper, so the server can be asked for a GC.
    entry: GC_ENTRY,
    read: memoryAfterGc,
  });
  const [rss = 0, heap = 0, external = 0] = after.map(
    (value, i) => (value - (before[i] ?? 0)) / n / 1024,
  );
  console.log(
    `${n} sockets, per connection after a full GC: heap ${heap.toFixed(2)} KB, ` +
      `external ${external.toFixed(2)} KB, resident ${rss.toFixed(2)} KB`,
  );
}

runToExit('connection memory', main);
