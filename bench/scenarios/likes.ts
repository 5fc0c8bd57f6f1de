/**
 * 3. Likes under load: a seeded database (users, posts, likes through the Store), several HTTP
 * clients sustaining a like rate, the authors' sockets timing each like's notification.
 *
 * Two set-ups on the same seed: lowdb on one node, and PostgreSQL with two nodes sharing it
 * through Redis (the seed copied with `migrate-to-postgres`): the likes go to one node, the
 * authors' sockets sit on the other, so each notification crosses Redis. Each node's resident
 * memory is read at the end, with the data loaded.
 *
 * On lowdb the same likes, at the same rate from the same clients, then go to the likes' floor
 * (bench/likesFloor.ts: socket.io and one journal write per group commit, in the same durability,
 * on the same disk), and every Tidings figure is printed beside it as a ratio. The floor runs
 * after Tidings, so Tidings' own rows stay comparable with the passes before it had one.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '../../test/fixtures/server.js';
import { startCluster } from '../cluster.js';
import { ClientPool } from '../clientPool.js';
import { scrapeMetrics } from '../http.js';
import { likeKey } from '../likeKey.js';
import type { LikesFloorStats } from '../likesFloor.js';
import type { LikeOrder } from '../protocol.js';
import { seed, type Seeded, type SeedPlan } from '../seed.js';
import { startLikesFloor } from '../startLikesFloor.js';
import {
  describe,
  ratio,
  residentBytes,
  summarize,
  threadsCpuTimeMs,
  type Summary,
} from '../stats.js';
import { describeStoreOpen, measureStoreOpen, type StoreOpenResult } from '../storeOpen.js';
import { itemAt } from '../itemAt.js';

/** lowdb on one node (with its durability), or PostgreSQL on two nodes sharing it over Redis. */
export type LikesSetup =
  { driver: 'lowdb'; durability: 'power' | 'kill9' } | { driver: 'postgres'; nodes: 2 };

/** One server's likes, timed from the liker's send to the author's socket. */
export interface LikeTimes {
  latency: Summary;
  missing: number;
  failed: string[];
  /**
   * When the likes at or above the p99 were sent, in seconds from the first like: one short span
   * is one stall (and says when it struck), a spread is a slow tail.
   */
  slowestSentS: { from: number; to: number } | undefined;
  /**
   * The likes sent from 2 s into the run on, so a stall at the server's first likes (a cold like
   * path, the open's garbage collected: docs/BENCHMARKS.md, "The PostgreSQL like stall, fifth
   * pass" and the seventh session's runs) and the steady tail read apart.
   */
  afterStart: Summary;
  /**
   * CPU time per like sent, in ms, of the server (every node), the liker processes and the
   * author's client process, from just before the first like to a second after the last: on 2
   * cores at 200 likes/s, 10 ms of CPU a like in all is both cores full.
   */
  cpuPerLike: CpuPerLike;
}

export interface CpuPerLike {
  server: number;
  /** PostgreSQL's processes, all of them (the lowdb store and the floor have none). */
  database?: number;
  likers: number;
  author: number;
}

async function cpuNow(
  serverPids: number[],
  likers: ClientPool,
  authors: ClientPool,
  databasePids?: () => Promise<number[]>,
): Promise<CpuPerLike> {
  let server = 0;
  for (const pid of serverPids) server += await threadsCpuTimeMs(pid);
  let database: number | undefined;
  if (databasePids) {
    database = 0;
    for (const pid of await databasePids()) database += await threadsCpuTimeMs(pid);
  }
  return {
    server,
    ...(database === undefined ? {} : { database }),
    likers: await likers.cpuTimeMs(),
    author: await authors.cpuTimeMs(),
  };
}

function perLike(before: CpuPerLike, after: CpuPerLike, likes: number): CpuPerLike {
  const database =
    before.database === undefined || after.database === undefined
      ? undefined
      : (after.database - before.database) / likes;
  return {
    server: (after.server - before.server) / likes,
    ...(database === undefined ? {} : { database }),
    likers: (after.likers - before.likers) / likes,
    author: (after.author - before.author) / likes,
  };
}

function describeCpu(cpu: CpuPerLike): string {
  const database = cpu.database === undefined ? '' : `PostgreSQL ${cpu.database.toFixed(2)} ms, `;
  return `CPU a like: server ${cpu.server.toFixed(2)} ms, ${database}likers ${cpu.likers.toFixed(2)} ms, author client ${cpu.author.toFixed(2)} ms; `;
}

export interface LikesResult {
  plan: SeedPlan;
  setup: LikesSetup;
  /** lowdb: the same likes on the likes' floor, in the same durability, and its own figures. */
  floor?: LikeTimes & { stats: LikesFloorStats };
  /** Each node's resident memory at the end, in bytes. */
  residentBytes: number[];
  /** lowdb: the store alone opening the seeded data (bench/storeOpen.ts). */
  opened?: StoreOpenResult;
  seedMs: number;
  dataBytes: number;
  perSecond: number;
  seconds: number;
  latency: Summary;
  missing: number;
  failed: number;
  /** Each node's event-loop lag over the likes (the likes' node first), in ms. */
  eventLoopP99Ms: (number | undefined)[];
  eventLoopMaxMs: (number | undefined)[];
  slowestSentS: LikeTimes['slowestSentS'];
  afterStart: Summary;
  cpuPerLike: CpuPerLike;
}

/** Where the steady likes begin, from the first like. */
const START_MS = 2_000;

const LAG = 'nodejs_eventloop_lag';

/** A fixed-seed generator, so every run likes the same pairs. */
function random(seedValue: number): () => number {
  let state = seedValue;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** Matches each like the likers sent with its receipt on an author's socket. */
function timeLikes(
  sent: Map<string, number>,
  failed: string[],
  likeReceipts: Map<string, number>,
  cpuPerLike: CpuPerLike,
): LikeTimes {
  const latencies: number[] = [];
  const timed: { at: number; ms: number }[] = [];
  let missing = 0;
  for (const [key, at] of sent) {
    const received = likeReceipts.get(key);
    if (received === undefined) missing += 1;
    else {
      latencies.push(received - at);
      timed.push({ at, ms: received - at });
    }
  }
  const latency = summarize(latencies);
  const firstSent = Math.min(...sent.values());
  const slowest = timed.filter(({ ms }) => ms >= latency.p99).map(({ at }) => at - firstSent);
  const slowestSentS =
    slowest.length === 0
      ? undefined
      : { from: Math.min(...slowest) / 1000, to: Math.max(...slowest) / 1000 };
  const afterStart = summarize(
    timed.filter(({ at }) => at - firstSent >= START_MS).map(({ ms }) => ms),
  );
  return { latency, missing, failed, slowestSentS, afterStart, cpuPerLike };
}

/** "the slowest 1 % sent 3.1–3.4 s into the run; " or nothing. */
function describeSlowest(slowestSentS: LikeTimes['slowestSentS']): string {
  return slowestSentS === undefined
    ? ''
    : `the slowest 1 % sent ${slowestSentS.from.toFixed(1)}–${slowestSentS.to.toFixed(1)} s into the run; `;
}

function describeFailures(times: LikeTimes): string {
  return (
    `${times.missing} not received, ${times.failed.length} failed` +
    (times.failed.length ? ` (${times.failed.slice(0, 3).join('; ')})` : '')
  );
}

/**
 * The same likes on the likes' floor, from the same client processes (the authors' pool reset
 * after Tidings) at the same rate, in the same durability, its journal in the seeded data's
 * directory (the same disk).
 */
async function likesOnFloor(
  seeded: Seeded,
  durability: 'power' | 'kill9',
  orders: LikeOrder[],
  perSecond: number,
  seconds: number,
  authors: ClientPool,
  likers: ClientPool,
): Promise<LikeTimes & { stats: LikesFloorStats }> {
  const floor = await startLikesFloor(
    {
      users: seeded.users.map((user) => [user.token, user.id, user.name]),
      posts: seeded.posts.map((post) => [post.id, post.authorId, post.title]),
    },
    seeded.dataDir,
    durability,
  );
  try {
    const connected = await authors.connect(floor.url, seeded.authors, false, 60_000);
    if (connected.ok !== seeded.authors.length) {
      throw new Error('the authors could not connect to the likes floor');
    }
    await floor.stats(); // starts its figures with the likes, as the lag scrape does for Tidings
    const pids = [floor.child.pid ?? 0];
    const cpuBefore = await cpuNow(pids, likers, authors);
    const { sent, failed } = await likers.like(floor.url, orders, perSecond, (seconds + 60) * 1000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const cpu = perLike(cpuBefore, await cpuNow(pids, likers, authors), orders.length);
    const stats = await floor.stats();
    const { likeReceipts } = await authors.collect();
    return { ...timeLikes(sent, failed, likeReceipts, cpu), stats };
  } finally {
    await floor.stop();
  }
}

export async function likesUnderLoad(
  plan: SeedPlan,
  perSecond: number,
  seconds: number,
  likerProcesses: number,
  setup: LikesSetup = { driver: 'lowdb', durability: 'power' },
): Promise<LikesResult> {
  const seeded = await seed(plan);
  const dataBytes = await dataSize(seeded.dataDir);
  // The store alone opening this data, before any server runs on it (lowdb only: PostgreSQL
  // nodes hold no data in memory).
  const opened = setup.driver === 'lowdb' ? await measureStoreOpen(seeded.dataDir) : undefined;
  const cluster = setup.driver === 'postgres' ? await startCluster(seeded.dataDir) : undefined;
  const nodes =
    setup.driver === 'lowdb'
      ? [await startServer({ dataDir: seeded.dataDir, args: ['--durability', setup.durability] })]
      : (cluster?.nodes ?? []);
  const server = itemAt(nodes, 0);
  // With two nodes, the authors listen on the other one: every notification crosses Redis.
  const authorsNode = itemAt(nodes, nodes.length - 1);
  const authors = new ClientPool(1);
  const likers = new ClientPool(likerProcesses);
  let stopped = false;
  try {
    const connected = await authors.connect(authorsNode.url, seeded.authors, false, 60_000);
    if (connected.ok !== seeded.authors.length) throw new Error('the authors could not connect');
    const authorOf = new Map(seeded.posts.map((post) => [post.id, post.authorId]));
    const readers = seeded.users.slice(plan.authors);
    const next = random(42);
    const orders: LikeOrder[] = [];
    const taken = new Set(seeded.likes);
    while (orders.length < perSecond * seconds) {
      const post = itemAt(seeded.posts, Math.floor(next() * seeded.posts.length));
      const user = itemAt(readers, Math.floor(next() * readers.length));
      const key = likeKey(post.id, user.id);
      if (taken.has(key) || authorOf.get(post.id) === user.id) continue;
      taken.add(key);
      orders.push({ postId: post.id, userId: user.id, token: user.token });
    }
    // Resets the lag histograms: every node's, as the authors' node can hold a notification too.
    for (const node of nodes) await scrapeMetrics(node.url, []);
    const pids = nodes.map((node) => node.child.pid ?? 0);
    const databasePids = cluster?.databasePids;
    const cpuBefore = await cpuNow(pids, likers, authors, databasePids);
    const { sent, failed } = await likers.like(
      server.url,
      orders,
      perSecond,
      (seconds + 60) * 1000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const cpu = perLike(
      cpuBefore,
      await cpuNow(pids, likers, authors, databasePids),
      orders.length,
    );
    const resident = await Promise.all(nodes.map((node) => residentBytes(node.child.pid ?? 0)));
    const lags = await Promise.all(
      nodes.map((node) => scrapeMetrics(node.url, [`${LAG}_p99_seconds`, `${LAG}_max_seconds`])),
    );
    const inMs = (seconds?: number) => (seconds === undefined ? undefined : seconds * 1000);
    const { likeReceipts } = await authors.collect();
    const times = timeLikes(sent, failed, likeReceipts, cpu);
    const { latency, missing, slowestSentS, afterStart } = times;
    const result: LikesResult = {
      plan,
      setup,
      residentBytes: resident,
      ...(opened === undefined ? {} : { opened }),
      seedMs: seeded.seedMs,
      dataBytes,
      perSecond,
      seconds,
      latency,
      missing,
      failed: failed.length,
      eventLoopP99Ms: lags.map(([p99]) => inMs(p99)),
      eventLoopMaxMs: lags.map(([, max]) => inMs(max)),
      slowestSentS,
      afterStart,
      cpuPerLike: cpu,
    };
    const mode =
      setup.driver === 'postgres'
        ? 'PostgreSQL, 2 nodes over Redis, authors on the other node'
        : setup.durability === 'power'
          ? 'lowdb, durable on power loss (fdatasync per commit)'
          : 'lowdb, kill -9 safe only';
    const rss = resident.map((bytes) => `${(bytes / 1e6).toFixed(0)} MB`).join(' + ');
    console.log(
      `  [${mode}] likes at ${perSecond}/s for ${seconds} s over ${plan.users} users, ${plan.posts} posts, ` +
        `${plan.posts * plan.likesPerPost} likes (${(dataBytes / 1e6).toFixed(1)} MB): like → author ${describe(result.latency)}; ` +
        describeSlowest(slowestSentS) +
        `sent from ${START_MS / 1000} s on: ${describe(afterStart)}; ` +
        `event loop p99 ${listMs(result.eventLoopP99Ms)} ms, max ${listMs(result.eventLoopMaxMs)} ms; ` +
        `server resident ${rss}; ` +
        describeCpu(cpu) +
        (opened === undefined ? '' : `the store alone: ${describeStoreOpen(opened)}; `) +
        describeFailures(times),
    );
    if (setup.driver === 'lowdb') {
      // Tidings stopped first: the floor runs alone on the cores and the disk, as Tidings did.
      for (const node of nodes) await node.stop();
      stopped = true;
      await authors.reset();
      result.floor = await likesOnFloor(
        seeded,
        setup.durability,
        orders,
        perSecond,
        seconds,
        authors,
        likers,
      );
      reportFloor(setup.durability, result.floor, result);
    }
    return result;
  } finally {
    await Promise.all([authors.close(), likers.close()]);
    if (!stopped) for (const node of nodes) await node.stop();
    await cluster?.stop();
    await rm(seeded.dataDir, { recursive: true, force: true });
  }
}

function reportFloor(
  durability: 'power' | 'kill9',
  floor: LikeTimes & { stats: LikesFloorStats },
  tidings: LikesResult,
): void {
  const { stats } = floor;
  const write = durability === 'power' ? 'one O_DSYNC write' : 'one plain write';
  console.log(
    `  [floor: socket.io + ${write} per group commit, the same likes] like → author ${describe(floor.latency)}; ` +
      describeSlowest(floor.slowestSentS) +
      `sent from ${START_MS / 1000} s on: ${describe(floor.afterStart)}; ` +
      `${stats.writes} writes for ${stats.likes} likes (${(stats.likes / Math.max(1, stats.writes)).toFixed(2)} a write), ` +
      `each write p50 ${stats.writeMs.p50.toFixed(2)} ms, p99 ${stats.writeMs.p99.toFixed(1)} ms, max ${stats.writeMs.max.toFixed(1)} ms; ` +
      `in the floor (request to emit) p50 ${stats.inServerMs.p50.toFixed(2)} ms, p99 ${stats.inServerMs.p99.toFixed(1)} ms, max ${stats.inServerMs.max.toFixed(1)} ms; ` +
      `event loop p99 ${stats.eventLoopP99Ms.toFixed(1)} ms, max ${stats.eventLoopMaxMs.toFixed(1)} ms; ` +
      describeCpu(floor.cpuPerLike) +
      describeFailures(floor),
  );
  console.log(
    `  Tidings / floor (${durability}): like p50 ${ratio(tidings.latency.p50, floor.latency.p50)}, p99 ${ratio(tidings.latency.p99, floor.latency.p99)}; ` +
      `from ${START_MS / 1000} s on p50 ${ratio(tidings.afterStart.p50, floor.afterStart.p50)}, p99 ${ratio(tidings.afterStart.p99, floor.afterStart.p99)}`,
  );
}

/** One figure per node, the likes' node first: "3.1" or "3.1 / 27.0". */
function listMs(values: (number | undefined)[]): string {
  return values.map((ms) => ms?.toFixed(1) ?? '?').join(' / ');
}

/** What the store keeps on disk: every data file, not the backup or the lock. */
export async function dataSize(dataDir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dataDir)) {
    if (name.endsWith('.bak') || name.endsWith('.pid')) continue;
    total += (await stat(join(dataDir, name))).size;
  }
  return total;
}
