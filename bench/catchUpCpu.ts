/**
 * The server's CPU per catching-up socket against the bare socket.io floor's (issue 14, the
 * reconnect storm): N subscribers connect by WebSocket in waves of 100 per client process, each
 * handed its `sync` (Tidings' with the 3 posts published before, the floor's empty), then all
 * disconnect; the server's CPU over each wave (the sum of its threads' schedstat) is divided by
 * N. No restart and no backoff, so the figure is the catch-up's CPU alone, steadier than the
 * storm's, which shares the cores with the start and the clients' refused attempts. The first
 * wave warms the code up; the rounds after it are the figures. Beside the CPU, the bytes each
 * server's JS heap allocated over the wave, per socket (bench/allocationProbe.mjs, loaded into
 * both servers).
 *
 *   node scripts/build.mjs && node --import tsx bench/catchUpCpu.ts [N, default 3000] [rounds, default 4]
 *   TIDINGS_SERVER_ENTRY=<other build>/dist/server/cli.js node --import tsx bench/catchUpCpu.ts …
 */
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ClientPool } from './clientPool.js';
import { publishStamped } from './http.js';
import { itemAt } from './itemAt.js';
import { seed } from './seed.js';
import { askServer } from './socketsBeforeAfter.js';
import { startBareServer } from './startBareServer.js';
import { threadsCpuTimeMs } from './stats.js';
import { startServer } from '../test/fixtures/server.js';

const n = Number(process.argv[2] ?? 3_000);
const rounds = Number(process.argv[3] ?? 4);
const POSTS = 3;

const PROBE = {
  NODE_OPTIONS: `--import=${fileURLToPath(new URL('./allocationProbe.mjs', import.meta.url))}`,
};

interface Target {
  url: string;
  child: Parameters<typeof askServer>[0]['child'];
  output(): string;
}

/** The bytes the server's heap allocated since it started (bench/allocationProbe.mjs). */
async function allocatedBytes(target: Target): Promise<number> {
  const [, bytes] = await askServer(target, /allocated bytes (\d+)/g, 10_000);
  return Number(bytes);
}

/** Per socket in each wave, the first (cold) one included: µs of server CPU, KB allocated. */
async function waves(
  target: Target,
  pool: ClientPool,
  users: Parameters<ClientPool['connect']>[1],
) {
  const perSocketUs: number[] = [];
  const perSocketKb: number[] = [];
  const pid = target.child.pid ?? 0;
  for (let round = 0; round <= rounds; round++) {
    const allocatedBefore = await allocatedBytes(target);
    const before = await threadsCpuTimeMs(pid);
    const connected = await pool.connect(target.url, users, false, 300_000);
    const after = await threadsCpuTimeMs(pid);
    const allocatedAfter = await allocatedBytes(target);
    if (connected.ok !== users.length) throw new Error(`only ${connected.ok} of ${n} connected`);
    perSocketUs.push(((after - before) * 1000) / n);
    perSocketKb.push((allocatedAfter - allocatedBefore) / 1024 / n);
    await pool.reset();
    // The disconnects' own CPU is not the catch-up's: let the server finish them first.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return { perSocketUs, perSocketKb };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const seeded = await seed({ users: n + 1, authors: 1, subscribe: true, posts: 0, likesPerPost: 0 });
const readers = seeded.users.slice(1);
const pool = new ClientPool(4);
try {
  const load = () =>
    loadavg()
      .map((value) => value.toFixed(1))
      .join(' ');
  const bare = await startBareServer(seeded.users, seeded.dataDir, 0, { ...process.env, ...PROBE });
  let floor: Awaited<ReturnType<typeof waves>>;
  try {
    floor = await waves(bare, pool, readers);
  } finally {
    await bare.stop();
  }
  const server = await startServer({ dataDir: seeded.dataDir, env: PROBE });
  let tidings: Awaited<ReturnType<typeof waves>>;
  try {
    for (let k = 0; k < POSTS; k++) {
      await publishStamped(server.url, itemAt(seeded.authors, 0).token);
    }
    tidings = await waves(server, pool, readers);
  } finally {
    await server.stop();
  }
  const show = (values: number[], digits: number) =>
    values.map((value) => value.toFixed(digits)).join(', ');
  const warm = (values: number[]) => median(values.slice(1));
  const [cpu, floorCpu] = [warm(tidings.perSocketUs), warm(floor.perSocketUs)];
  const [kb, floorKb] = [warm(tidings.perSocketKb), warm(floor.perSocketKb)];
  console.log(
    `${n} sockets a wave, server CPU per socket (µs; the first wave cold): ` +
      `Tidings ${show(tidings.perSocketUs, 0)}; floor ${show(floor.perSocketUs, 0)}; warm medians ` +
      `${cpu.toFixed(0)} / ${floorCpu.toFixed(0)} = ${(cpu / floorCpu).toFixed(2)}×\n` +
      `allocated per socket (KB): Tidings ${show(tidings.perSocketKb, 1)}; ` +
      `floor ${show(floor.perSocketKb, 1)}; warm medians ${kb.toFixed(1)} / ${floorKb.toFixed(1)} = ` +
      `${(kb / floorKb).toFixed(2)}×; load average ${load()}`,
  );
} finally {
  await pool.close();
  await rm(seeded.dataDir, { recursive: true, force: true });
}
