/**
 * The server's CPU per catching-up socket against the bare socket.io floor's (issue 14, the
 * reconnect storm): N subscribers connect by WebSocket in waves of 100 per client process, each
 * handed its `sync` (Tidings' with the 3 posts published before, the floor's empty), then all
 * disconnect; the server's CPU over each wave (the sum of its threads' schedstat) is divided by
 * N. No restart and no backoff, so the figure is the catch-up's CPU alone, steadier than the
 * storm's, which shares the cores with the start and the clients' refused attempts. The first
 * wave warms the code up; the rounds after it are the figures.
 *
 *   node scripts/build.mjs && node --import tsx bench/catchUpCpu.ts [N, default 3000] [rounds, default 4]
 *   TIDINGS_SERVER_ENTRY=<other build>/dist/server/cli.js node --import tsx bench/catchUpCpu.ts …
 */
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { ClientPool } from './clientPool.js';
import { publishStamped } from './http.js';
import { itemAt } from './itemAt.js';
import { seed } from './seed.js';
import { startBareServer } from './startBareServer.js';
import { threadsCpuTimeMs } from './stats.js';
import { startServer } from '../test/fixtures/server.js';

const n = Number(process.argv[2] ?? 3_000);
const rounds = Number(process.argv[3] ?? 4);
const POSTS = 3;

interface Target {
  url: string;
  pid: number;
}

/** µs of server CPU per socket in each wave, the first (cold) one included. */
async function waves(
  target: Target,
  pool: ClientPool,
  users: Parameters<ClientPool['connect']>[1],
) {
  const perSocketUs: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const before = await threadsCpuTimeMs(target.pid);
    const connected = await pool.connect(target.url, users, false, 300_000);
    const after = await threadsCpuTimeMs(target.pid);
    if (connected.ok !== users.length) throw new Error(`only ${connected.ok} of ${n} connected`);
    perSocketUs.push(((after - before) * 1000) / n);
    await pool.reset();
    // The disconnects' own CPU is not the catch-up's: let the server finish them first.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return perSocketUs;
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
  const bare = await startBareServer(seeded.users, seeded.dataDir);
  let floor: number[];
  try {
    floor = await waves({ url: bare.url, pid: bare.child.pid ?? 0 }, pool, readers);
  } finally {
    await bare.stop();
  }
  const server = await startServer({ dataDir: seeded.dataDir });
  let tidings: number[];
  try {
    for (let k = 0; k < POSTS; k++) {
      await publishStamped(server.url, itemAt(seeded.authors, 0).token);
    }
    tidings = await waves({ url: server.url, pid: server.child.pid ?? 0 }, pool, readers);
  } finally {
    await server.stop();
  }
  const show = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
  const [tidingsWarm, floorWarm] = [median(tidings.slice(1)), median(floor.slice(1))];
  console.log(
    `${n} sockets a wave, server CPU per socket (µs; the first wave cold): ` +
      `Tidings ${show(tidings)}; floor ${show(floor)}; warm medians ${tidingsWarm.toFixed(0)} / ` +
      `${floorWarm.toFixed(0)} = ${(tidingsWarm / floorWarm).toFixed(2)}×; load average ${load()}`,
  );
} finally {
  await pool.close();
  await rm(seeded.dataDir, { recursive: true, force: true });
}
