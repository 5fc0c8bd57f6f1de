/**
 * 4. Reconnect storm: N subscribers connected with socket.io-client's jittered backoff, every
 * one of them cut off at once, posts published before and right after. Done when every socket is
 * back and has every post exactly once.
 *
 * Two set-ups on the same seed: lowdb on one node (SIGTERM, a new server on the same port and
 * data), and PostgreSQL on two nodes over Redis (the seed copied with `migrate-to-postgres`, the
 * sockets split evenly between the nodes, both killed with -9 and started again on their ports;
 * the posts after go through the first node, so half of them reach their sockets through Redis).
 */
import { rm } from 'node:fs/promises';
import { startServer } from '../../test/fixtures/server.js';
import { startCluster } from '../cluster.js';
import { ClientPool, waitFor } from '../clientPool.js';
import { publishStamped } from '../http.js';
import { seed } from '../seed.js';
import { itemAt } from '../itemAt.js';
import { cpuTimeMs } from '../stats.js';

/** lowdb on one node, or PostgreSQL on two nodes sharing it over Redis. */
export type StormSetup = { driver: 'lowdb' } | { driver: 'postgres'; nodes: 2 };

export interface StormResult {
  setup: StormSetup;
  clients: number;
  /** From the stop signal until every socket is back and caught up. */
  backMs: number;
  allBack: boolean;
  duplicates: number;
  /** Handshakes refused with a retry-after by the server's admission control. */
  busyRefusals: number;
  fewestPosts: number;
  posts: number;
}

/** The servers a storm runs against. */
interface StormTarget {
  /** Where the clients connect, split evenly; the first is where the author publishes. */
  urls(): string[];
  /** Cuts every client off and brings the servers back on the same ports. */
  cutEveryone(): Promise<void>;
  stop(): Promise<void>;
  /**
   * lowdb: how the cut's wall time splits (SIGTERM → exit, start → listening), and the server's
   * CPU time in the stop and from its start until everyone is back (steadier than wall time on a
   * shared machine), for the log.
   */
  phases?(): Promise<string>;
}

const BEFORE = 3;
const AFTER = 3;

/** Samples a process's CPU time every 50 ms until it is gone; resolves with the last sample. */
async function lastCpuTimeMs(pid: number): Promise<number> {
  let last = 0;
  for (;;) {
    try {
      last = await cpuTimeMs(pid);
    } catch {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function oneLowdbNode(dataDir: string): Promise<StormTarget> {
  let server = await startServer({ dataDir });
  let stopMs = 0;
  let startMs = 0;
  let stopCpuMs = 0;
  return {
    urls: () => [server.url],
    async cutEveryone() {
      const pid = server.child.pid ?? 0;
      const cpuAtSignal = await cpuTimeMs(pid);
      const cpuAtExit = lastCpuTimeMs(pid);
      const stopping = performance.now();
      await server.stop();
      stopCpuMs = (await cpuAtExit) - cpuAtSignal;
      const starting = performance.now();
      server = await startServer({ dataDir, port: server.port });
      stopMs = starting - stopping;
      startMs = performance.now() - starting;
    },
    stop: async () => void (await server.stop()),
    phases: async () =>
      `SIGTERM → exit ${(stopMs / 1000).toFixed(1)} s, start → listening ${(startMs / 1000).toFixed(1)} s; ` +
      `server CPU: about ${(stopCpuMs / 1000).toFixed(1)} s in the stop, ` +
      `${((await cpuTimeMs(server.child.pid ?? 0)) / 1000).toFixed(1)} s from the start until all back`,
  };
}

async function postgresNodes(dataDir: string, count: number): Promise<StormTarget> {
  const cluster = await startCluster(dataDir, count);
  return {
    urls: () => cluster.nodes.map((node) => node.url),
    cutEveryone: () => cluster.killAndRestartAll(),
    stop: () => cluster.stop(),
  };
}

export async function reconnectStorm(
  clients: number,
  processes: number,
  timeoutMs: number,
  setup: StormSetup = { driver: 'lowdb' },
): Promise<StormResult> {
  const seeded = await seed({
    users: clients + 1,
    authors: 1,
    subscribe: true,
    posts: 0,
    likesPerPost: 0,
  });
  const target =
    setup.driver === 'lowdb'
      ? await oneLowdbNode(seeded.dataDir)
      : await postgresNodes(seeded.dataDir, setup.nodes);
  const pool = new ClientPool(processes);
  try {
    const readers = seeded.users.slice(1);
    const urls = target.urls();
    for (const [index, url] of urls.entries()) {
      const share = readers.filter((_, k) => k % urls.length === index);
      const connected = await pool.connect(url, share, true, 300_000);
      if (connected.ok !== share.length) {
        throw new Error(`only ${connected.ok} of ${share.length} connected to ${url}`);
      }
    }
    const token = itemAt(seeded.authors, 0).token;
    const publishUrl = () => itemAt(target.urls(), 0);
    for (let k = 1; k <= BEFORE; k++) {
      await publishStamped(publishUrl(), token);
      await waitFor(async () => (await pool.status()).fewestPosts >= k, 30_000);
    }
    const started = performance.now();
    await target.cutEveryone();
    for (let k = 0; k < AFTER; k++) await publishStamped(publishUrl(), token);
    const allBack = await waitFor(async () => {
      const status = await pool.status();
      return status.connected === clients && status.fewestPosts >= BEFORE + AFTER;
    }, timeoutMs);
    const backMs = performance.now() - started;
    const phases = await target.phases?.();
    const status = await pool.status();
    const result = {
      setup,
      clients,
      backMs,
      allBack,
      duplicates: status.duplicates,
      busyRefusals: status.busyRefusals,
      fewestPosts: status.fewestPosts,
      posts: BEFORE + AFTER,
    };
    const mode =
      setup.driver === 'lowdb'
        ? 'lowdb, 1 node, SIGTERM and restart'
        : `PostgreSQL, ${setup.nodes} nodes over Redis, all killed with -9 and restarted`;
    console.log(
      `  [${mode}] reconnect storm, ${clients} clients: ${allBack ? 'all back and caught up' : 'NOT all back'} ` +
        `${(backMs / 1000).toFixed(1)} s after the stop; ${status.connected}/${clients} connected, fewest posts on a socket ${status.fewestPosts}/${BEFORE + AFTER}, ` +
        `${status.duplicates} duplicates; ${status.busyRefusals} handshakes told to retry later` +
        (phases ? `; of it ${phases}` : ''),
    );
    return result;
  } finally {
    await pool.close();
    await target.stop();
    await rm(seeded.dataDir, { recursive: true, force: true });
  }
}
