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
import { rm } from 'node:fs/promises';
import type { RunningServer } from '../test/fixtures/server.js';
import { ClientPool } from './clientPool.js';
import { seed } from './seed.js';

const n = Number(process.argv[2] ?? 10_000);
const GC_ENTRY = fileURLToPath(new URL('./gcServerEntry.mjs', import.meta.url));
const MEMORY_LINE = /memory after gc: rss (\d+) heapUsed (\d+) external (\d+)/g;

async function memoryAfterGc(server: RunningServer): Promise<number[]> {
  const seen = [...server.output().matchAll(MEMORY_LINE)].length;
  server.child.kill('SIGUSR2');
  for (const started = Date.now(); Date.now() - started < 60_000;) {
    const lines = [...server.output().matchAll(MEMORY_LINE)];
    if (lines.length > seen) return (lines.at(-1) ?? []).slice(1).map(Number);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not report its memory within 60 s');
}

async function main(): Promise<void> {
  const seeded = await seed({
    users: n + 1,
    authors: 1,
    subscribe: true,
    posts: 0,
    likesPerPost: 0,
  });
  // The fixture reads its entry when it loads: the wrapper, so the server can be asked for a GC.
  process.env.TIDINGS_SERVER_ENTRY = GC_ENTRY;
  const { startServer } = await import('../test/fixtures/server.js');
  const server = await startServer({ dataDir: seeded.dataDir });
  const pool = new ClientPool(4);
  try {
    const before = await memoryAfterGc(server);
    const connected = await pool.connect(server.url, seeded.users.slice(1), false, 600_000);
    if (connected.ok !== n) throw new Error(`only ${connected.ok} of ${n} connected`);
    const after = await memoryAfterGc(server);
    const [rss = 0, heap = 0, external = 0] = after.map(
      (value, i) => (value - (before[i] ?? 0)) / n / 1024,
    );
    console.log(
      `${n} sockets, per connection after a full GC: heap ${heap.toFixed(2)} KB, ` +
        `external ${external.toFixed(2)} KB, resident ${rss.toFixed(2)} KB`,
    );
  } finally {
    await pool.close();
    await server.stop();
    await rm(seeded.dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(
      `connection memory failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
